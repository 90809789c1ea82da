package dev.trailquery.exec;

/**
 * What a run read. {@code bytesScanned} counts JSON bytes after decompression (what Logs Insights
 * bills); {@code bytesRead} counts bytes fetched from storage.
 */
public record Statistics(
    long recordsScanned,
    long recordsMatched,
    long bytesScanned,
    long bytesRead,
    long objectsScanned,
    long objectsSkipped) {}
