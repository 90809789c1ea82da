package dev.trailquery.hardening;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The user-controlled paths run in a JVM of their own with a small heap ({@link MemoryBoundsTest}
 * starts it with {@code -Xmx}); prints one line per scenario and exits 0, or dies with an
 * OutOfMemoryError (exit 3).
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    try {
      switch (args[0]) {
        case "query-text" -> queryText();
        case "records" -> records(Integer.parseInt(args[1]));
        case "huge-string" -> hugeString(Integer.parseInt(args[1]));
        default -> throw new IllegalArgumentException(args[0]);
      }
    } catch (OutOfMemoryError e) {
      System.out.println("OOM " + e.getMessage());
      System.exit(3);
    }
    System.exit(0);
  }

  /** The longest query the parser accepts, and a regex whose repetitions expand to 10^9. */
  static void queryText() {
    StringBuilder q = new StringBuilder("filter eventName in [");
    while (q.length() < 99_000) {
      q.append("\"x").append(q.length()).append("\", ");
    }
    q.append("\"y\"] | stats count(*) by eventSource, bin(5m)");
    Trailquery.compile(q.toString(), Planner.Options.defaults());
    try {
      Trailquery.compile(
          "filter eventName like /((a{1000}){1000}){1000}/", Planner.Options.defaults());
      System.out.println("regex accepted");
    } catch (QueryException e) {
      System.out.println("regex refused " + e.error().code());
    }
    System.out.println("query-text ok");
  }

  /** {@code n} generated records (gzip, streamed, never held whole) through two queries. */
  static void records(int n) throws Exception {
    for (String query :
        new String[] {
          "stats count(*) as c, count_distinct(sourceIPAddress) by eventName | sort c desc",
          "fields @timestamp, @message | sort @timestamp desc | limit 100"
        }) {
      Plan plan = Trailquery.compile(query, Planner.Options.defaults());
      PartialState state = new PartialState(plan);
      ObjectResult r =
          new Scan(plan)
              .scanStream(
                  new CloudTrailReader(plan.read()), gzipped(generated(n)), "probe", "k", state);
      Result result = Finisher.finish(state);
      System.out.println(
          "records " + r.status() + " " + r.records() + " rows " + result.rows().size());
    }
  }

  /**
   * One record with a string field of {@code chars} characters, then a normal record, through
   * queries that need the field, its record's text, or neither: each prints its object status,
   * records, rows, the names of those rows and its warning codes.
   */
  static void hugeString(int chars) {
    for (String query :
        new String[] {
          "stats count(*) by eventName",
          "fields eventName, strlen(big) as n",
          "fields eventName, @message",
          "filter ispresent(big) | stats count(*) by eventName"
        }) {
      Plan plan = Trailquery.compile(query, Planner.Options.defaults());
      PartialState state = new PartialState(plan);
      InputStream in = hugeStringDocument(chars);
      ObjectResult r =
          new Scan(plan).scanStream(new CloudTrailReader(plan.read()), in, "probe", "k", state);
      Result result = Finisher.finish(state);
      System.out.println(
          "huge-string "
              + r.status()
              + " "
              + r.records()
              + " rows "
              + result.rows().size()
              + " "
              + result.rows().stream().map(row -> String.valueOf(row[0])).toList()
              + " warnings "
              + result.warnings().stream().map(d -> d.code()).toList()
              + " | "
              + query);
    }
  }

  static InputStream generated(int n) {
    return new InputStream() {
      int i = -1;
      byte[] chunk = "{\"Records\":[".getBytes(StandardCharsets.UTF_8);
      int pos;

      @Override
      public int read() {
        while (pos == chunk.length) {
          if (++i > n) {
            return -1;
          }
          chunk =
              (i == n
                      ? "]}"
                      : (i == 0 ? "" : ",")
                          + "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-01T"
                          + String.format("%02d:%02d:%02d", (i / 3600) % 24, (i / 60) % 60, i % 60)
                          + "Z\",\"eventSource\":\"s"
                          + (i % 7)
                          + ".amazonaws.com\",\"eventName\":\"E"
                          + (i % 50)
                          + "\",\"sourceIPAddress\":\"10.0."
                          + (i % 250)
                          + "."
                          + (i % 200)
                          + "\",\"requestParameters\":{\"pad\":\""
                          + "p".repeat(300)
                          + "\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          pos = 0;
        }
        return chunk[pos++] & 0xff;
      }
    };
  }

  static InputStream gzipped(InputStream raw) throws IOException {
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread t =
        new Thread(
            () -> {
              try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                raw.transferTo(gz);
              } catch (IOException e) {
                // the reader stopped early
              }
            });
    t.setDaemon(true);
    t.start();
    return in;
  }

  static InputStream hugeStringDocument(int chars) {
    byte[] head =
        ("{\"Records\":[{\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Big\",\"big\":\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail =
        ("\"},{\"eventTime\":\"2026-11-01T10:00:01Z\",\"eventName\":\"Normal\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    long total = head.length + (long) chars + tail.length;
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        if (pos >= total) {
          return -1;
        }
        long p = pos++;
        if (p < head.length) {
          return head[(int) p];
        }
        p -= head.length;
        if (p < chars) {
          return 'b';
        }
        return tail[(int) (p - chars)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        int k = 0;
        while (k < len && pos < total) {
          b[off + k++] = (byte) read();
        }
        return k;
      }
    };
  }
}
