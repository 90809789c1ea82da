package dev.trailquery.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /queries}: {@code {queryString, startTime, endTime, limit?, accounts?,
 * regions?}}.
 *
 * <p>Times are epoch seconds (a number or a string of digits) or ISO-8601 ({@code
 * 2025-03-06T02:00:00Z}; no zone means UTC). As in StartQuery both ends are inclusive: an epoch
 * second covers the whole second, an ISO instant the millisecond. {@link #endMillis} is stored
 * exclusive, the way the engine takes it.
 *
 * @param startMillis inclusive lower bound on {@code @timestamp}
 * @param endMillis exclusive upper bound
 * @param limit the row limit, or null for the query's own (default 10,000)
 * @param accounts 12-digit account ids to read, empty for all
 * @param regions regions to read, empty for all
 */
public record QueryRequest(
    String queryString,
    long startMillis,
    long endMillis,
    Long limit,
    List<String> accounts,
    List<String> regions) {

  public static final int MAX_QUERY_LENGTH = 10_000;
  public static final long MAX_LIMIT = 100_000;
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");
  private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}");

  public QueryRequest {
    accounts = List.copyOf(accounts);
    regions = List.copyOf(regions);
  }

  /**
   * Reads and checks a request body; throws {@link InvalidRequestException} (a 400) saying what is
   * wrong.
   */
  public static QueryRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("the body must be a JSON object");
    }
    JsonNode q = body.get("queryString");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw new InvalidRequestException("queryString is required (a non-empty string)");
    }
    if (q.asText().length() > MAX_QUERY_LENGTH) {
      throw new InvalidRequestException(
          "queryString is longer than " + MAX_QUERY_LENGTH + " characters");
    }
    long start = time(body.get("startTime"), "startTime", false);
    long end = time(body.get("endTime"), "endTime", true);
    if (end <= start) {
      throw new InvalidRequestException("endTime must not be before startTime");
    }
    Long limit = null;
    JsonNode l = body.get("limit");
    if (l != null && !l.isNull()) {
      if (!l.canConvertToLong()
          || !l.isIntegralNumber()
          || l.asLong() < 1
          || l.asLong() > MAX_LIMIT) {
        throw new InvalidRequestException("limit must be a whole number from 1 to " + MAX_LIMIT);
      }
      limit = l.asLong();
    }
    return new QueryRequest(
        q.asText(),
        start,
        end,
        limit,
        names(body.get("accounts"), "accounts", ACCOUNT, "12-digit account ids"),
        names(body.get("regions"), "regions", REGION, "region names such as us-east-1"));
  }

  private static List<String> names(JsonNode node, String what, Pattern p, String expected) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException(what + " must be a list of " + expected);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual() || !p.matcher(n.asText()).matches()) {
        throw new InvalidRequestException(what + " must be a list of " + expected + ", got " + n);
      }
      out.add(n.asText());
    }
    return out;
  }

  /** Epoch ms of a time; for an end time, the first millisecond after it. */
  public static long time(JsonNode node, String what, boolean end) {
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(what + " is required (epoch seconds or ISO-8601)");
    }
    if (node.isIntegralNumber() || (node.isTextual() && EPOCH.matcher(node.asText()).matches())) {
      long seconds = node.asLong();
      if (Math.abs(seconds) > 100_000_000_000L) {
        throw new InvalidRequestException(what + " is out of range: " + node);
      }
      return seconds * 1000 + (end ? 1000 : 0);
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(what + " must be epoch seconds or an ISO-8601 string");
    }
    long millis = parseIso(node.asText().trim(), what);
    return millis + (end ? 1 : 0);
  }

  private static long parseIso(String t, String what) {
    Long millis = dev.trailquery.fn.Times.parseIso(t);
    if (millis == null) {
      throw new InvalidRequestException(
          what + " '" + t + "' is neither epoch seconds nor ISO-8601 (2025-03-06T02:00:00Z)");
    }
    return millis;
  }
}
