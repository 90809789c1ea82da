package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.exec.Result;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.ResultJson;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /subscriptions/{name}/results?startTime&endTime&granularity=total|bin|report}: bins
 * starting in {@code [startTime, endTime]} (both optional: all bins), merged ({@code total}, the
 * default), one entry per bin, newest first ({@code bin}), or a Contributor Insights rule's report
 * ({@code report}, with {@code maxContributors}).
 */
final class SubscriptionResults {
  private final SubscriptionStore store;
  private final Results results;

  SubscriptionResults(SubscriptionStore store, Results results) {
    this.store = store;
    this.results = results;
  }

  ApiResponse get(String name, Map<String, String> params) {
    Subscription s = SubscriptionRoutes.find(store, name);
    String granularity = params.getOrDefault("granularity", "total");
    if (!granularity.equals("total")
        && !granularity.equals("bin")
        && !granularity.equals("report")) {
      throw ApiException.invalid("granularity must be 'total', 'bin' or 'report'");
    }
    if (granularity.equals("report") && !s.type().equals(Subscription.CONTRIBUTOR_RULE)) {
      throw ApiException.invalid(
          "granularity=report is for Contributor Insights rule subscriptions; "
              + name
              + " is a "
              + s.type());
    }
    long start =
        params.get("startTime") == null
            ? Long.MIN_VALUE
            : QueryRequest.time(
                Json.MAPPER.getNodeFactory().textNode(params.get("startTime")), "startTime", false);
    long end =
        params.get("endTime") == null
            ? Long.MAX_VALUE
            : QueryRequest.time(
                Json.MAPPER.getNodeFactory().textNode(params.get("endTime")), "endTime", true);
    if (start >= end) {
      throw ApiException.invalid("startTime must be before endTime");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("name", s.name());
    out.put("granularity", granularity);
    out.put("bin", s.bin());
    if (start != Long.MIN_VALUE) {
      out.put("startTime", start / 1000);
    }
    if (end != Long.MAX_VALUE) {
      out.put("endTime", (end - 1) / 1000);
    }
    try {
      switch (granularity) {
        case "report" -> report(out, s, start, end, maxContributors(params));
        case "total" -> {
          Result r = results.merged(s, start, end);
          add(
              out,
              g -> {
                ResultJson.fields(g, r.fields());
                ResultJson.results(g, r);
                ResultJson.statistics(g, r.statistics(), ResultJson.Stats.SUBSCRIPTION);
              });
        }
        default -> {
          Results.Series series = results.series(s, start, end);
          add(out, g -> ResultJson.fields(g, series.fields()));
          ArrayNode bins = out.putArray("bins");
          for (Results.Bin bin : series.bins()) {
            bins.add(
                ResultJson.tree(
                    g -> {
                      g.writeNumberField("startTime", Math.floorDiv(bin.start(), 1000L));
                      g.writeStringField("bin", new Timestamp(bin.start()).render());
                      ResultJson.results(g, bin.result());
                      ResultJson.statistics(g, bin.result().statistics(), ResultJson.Stats.BIN);
                    }));
          }
          add(
              out,
              g -> ResultJson.statistics(g, series.statistics(), ResultJson.Stats.SUBSCRIPTION));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ApiResponse(200, Json.write(out));
  }

  /** {@code maxContributors}: 1..100, 10 when not given. */
  private static int maxContributors(Map<String, String> params) {
    if (params.get("maxContributors") == null) {
      return 10;
    }
    int max;
    try {
      max = Integer.parseInt(params.get("maxContributors"));
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 1 || max > 100) {
      throw ApiException.invalid("maxContributors must be 1..100");
    }
    return max;
  }

  private void report(ObjectNode out, Subscription s, long start, long end, int max)
      throws IOException {
    Result r = results.merged(s, start, end);
    out.set(
        "report",
        Json.MAPPER.valueToTree(
            dev.trailquery.contributor.InsightReport.fromSeries(s.rule(), r.rows(), max)));
    add(out, g -> ResultJson.statistics(g, r.statistics(), ResultJson.Stats.SUBSCRIPTION));
  }

  /** Adds the fields {@code part} writes to {@code out}, in order. */
  private static void add(ObjectNode out, ResultJson.Part part) {
    out.setAll((ObjectNode) ResultJson.tree(part));
  }
}
