package dev.trailquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.store.sealing.Sealer;
import dev.trailquery.functions.store.sealing.Slots;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seal [--now]}: seals the delivery slots that have closed (docs/INGEST.md, "Sealing"); with
 * {@code --now}, every slot up to the current one.
 */
@Command(
    name = "seal",
    description = {
      "seal the delivery slots that have closed",
      "What the deployed schedule does every 5 minutes ('invoke ingest' also does it after each"
          + " event): each subscription's closed 15-minute slots become one sealed item per bin."
          + " Prints a JSON report; exit 1 when another sealer is at work."
    })
final class SealCommand implements Callable<Integer> {
  private final Context ctx;

  @Option(
      names = "--now",
      description = "seal up to the current slot (only while nothing else ingests)")
  boolean now;

  SealCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    Sealer sealer = new StackEnv(ctx).sealer();
    Sealer.Report r = now ? sealer.seal(Slots.slot(System.currentTimeMillis())) : sealer.seal();
    if (r.busy()) {
      ctx.err.println("another sealer is at work; nothing done");
      return 1;
    }
    ctx.out.println(Mappers.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report(r)));
    return 0;
  }

  static JsonNode report(Sealer.Report r) {
    ObjectNode o = Mappers.MAPPER.createObjectNode();
    o.put("busy", r.busy());
    o.put(
        "sealedThrough",
        r.throughSlot() < 0 ? null : Instant.ofEpochMilli(r.throughSlot()).toString());
    o.put("slots", r.slots());
    o.put("contributions", r.contributions());
    o.put("binsWritten", r.binsWritten());
    o.put("writeUnits", r.writeUnits());
    o.put("ms", r.millis());
    return o;
  }
}
