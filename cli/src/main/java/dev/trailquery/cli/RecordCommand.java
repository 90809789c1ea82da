package dev.trailquery.cli;

import dev.trailquery.exec.Scan;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code record PTR}: the raw CloudTrail record an {@code @ptr} value points to. */
@Command(
    name = "record",
    description = {
      "print the raw record an @ptr value points to",
      "PTR: the @ptr field of a query's row (a local file or an S3 object and the record's index)."
    })
final class RecordCommand implements Callable<Integer> {
  private final Context ctx;

  @Parameters(paramLabel = "PTR", description = "an @ptr value")
  String ptr;

  RecordCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    String[] parts = Scan.decodePointer(ptr);
    if (parts == null) {
      throw new UsageException("not an @ptr value: " + ptr);
    }
    String message = Sources.readRecord(parts[0], parts[1], Integer.parseInt(parts[2]));
    if (message == null) {
      ctx.err.println("trailquery: record not found (the object changed or is gone)");
      return 1;
    }
    ctx.out.println(message);
    return 0;
  }
}
