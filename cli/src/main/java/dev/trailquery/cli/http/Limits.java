package dev.trailquery.cli.http;

import java.time.Duration;

/**
 * What one client may make {@link HttpFront} hold. Past each bound the request is answered in the
 * API's error shape and the connection closed: 414 for the request line, 431 for the headers, 408
 * for a head that does not arrive in time, 503 beyond the connection cap.
 *
 * @param maxRequestLine bytes of the request line (method, target, version), without CRLF
 * @param maxHeaderBytes bytes of all header lines together
 * @param maxHeaders header lines
 * @param maxConnections connections served at once
 * @param headTimeout time for a request's head (line and headers) to arrive
 * @param idleTimeout time a read of a body, or a wait for the next request, may block
 */
public record Limits(
    int maxRequestLine,
    int maxHeaderBytes,
    int maxHeaders,
    int maxConnections,
    Duration headTimeout,
    Duration idleTimeout) {

  /** 16 KiB request line, 64 KiB and 100 header lines, 256 connections, 30 s. */
  public static final Limits DEFAULT =
      new Limits(16 * 1024, 64 * 1024, 100, 256, Duration.ofSeconds(30), Duration.ofSeconds(30));
}
