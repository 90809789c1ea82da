package dev.trailquery.store;

/**
 * One object (an S3 object or a local file) holding CloudTrail records.
 *
 * @param container the bucket, or the directory given on the command line ({@code @log})
 * @param key the object key, or the file path ({@code @logStream})
 * @param size size in bytes, or -1 when unknown
 */
public record ObjectRef(String container, String key, long size) {}
