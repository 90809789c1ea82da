package dev.trailquery.exec;

import dev.trailquery.read.ObjectResult;

/**
 * An object that was not read to its end: empty, digest, foreign, corrupt or too large.
 *
 * @param records records that were read from it before it stopped (they count)
 */
public record SkippedObject(String key, ObjectResult.Status status, long records, String error) {}
