package dev.trailquery.functions.store;

import dev.trailquery.contract.Keys;
import dev.trailquery.lookup.LookupTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The lookup tables subscriptions evaluate with, pinned in the results table: partition {@code
 * "LT#" + name + "@" + version} ({@link Keys#LOOKUP_PIN}), one item per part of the gzip CSV (sort
 * key {@code 00000}, {@code 00001}, ...; the first part says how many there are). A version is the
 * hash of the table's content, so a pinned table is written once and never changes: a subscription
 * keeps evaluating with exactly the content it was created with, whatever happens to the table of
 * the same name later ({@code PUT /lookup-tables/NAME}, another {@code --lookup} file). Every role
 * that reads subscriptions' results (ingest, seal, API) may read these items already.
 *
 * <p>Loaded tables are kept in memory by version (at most {@link #CACHED} of them), so the ingest
 * Lambda reads a pinned table once per container.
 */
public final class PinnedTables {
  /** Gzip bytes per item (a DynamoDB item holds at most 400 KB). */
  static final int PART_BYTES = 350_000;

  /** Tables kept in memory. */
  static final int CACHED = 32;

  private static final String SK = "00000";

  private final DynamoDbClient db;
  private final String table;
  private final Map<String, LookupTable> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LookupTable> e) {
          return size() > CACHED;
        }
      };

  /**
   * @param table the results (aggregates) table
   */
  public PinnedTables(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  static String key(String name, String version) {
    return Keys.LOOKUP_PIN + name + "@" + version;
  }

  /** Stores a table under its name and version (again: the same items, nothing changes). */
  public void pin(LookupTable t) {
    String pk = key(t.name(), t.version());
    synchronized (cache) {
      if (cache.containsKey(pk)) {
        return; // written or read by this process already
      }
    }
    byte[] gz = gzip(t.toCsv().getBytes(StandardCharsets.UTF_8));
    int parts = Math.max(1, (gz.length + PART_BYTES - 1) / PART_BYTES);
    for (int i = 0; i < parts; i++) {
      int from = i * PART_BYTES;
      int to = Math.min(gz.length, from + PART_BYTES);
      Map<String, AttributeValue> item = new LinkedHashMap<>();
      item.put(Tables.PK, AttributeValue.fromS(pk));
      item.put(Tables.SK, AttributeValue.fromS(String.format("%05d", i)));
      item.put("csv", AttributeValue.fromB(SdkBytes.fromByteArray(slice(gz, from, to))));
      if (i == 0) {
        item.put("parts", AttributeValue.fromN(Integer.toString(parts)));
        item.put("rows", AttributeValue.fromN(Integer.toString(t.rows().size())));
      }
      db.putItem(b -> b.tableName(table).item(item));
    }
    synchronized (cache) {
      cache.put(pk, t);
    }
  }

  /**
   * The pinned table {@code name@version}; an {@link IllegalStateException} when it is not there
   * (or not whole), which would mean the subscription's pinned copy was removed.
   */
  public LookupTable load(String name, String version) {
    String pk = key(name, version);
    synchronized (cache) {
      LookupTable t = cache.get(pk);
      if (t != null) {
        return t;
      }
    }
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r =
          db.query(
              b -> {
                b.tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Tables.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .consistentRead(true);
                if (from != null) {
                  b.exclusiveStartKey(from);
                }
              });
      items.addAll(r.items());
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    if (items.isEmpty()
        || !items.getFirst().get(Tables.SK).s().equals(SK)
        || Integer.parseInt(items.getFirst().get("parts").n()) != items.size()) {
      throw new IllegalStateException(
          "the pinned copy of lookup table '"
              + name
              + "' (version "
              + version
              + ") is missing from "
              + table
              + ": subscribe again with the table to pin it anew");
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    for (Map<String, AttributeValue> i : items) {
      gz.writeBytes(i.get("csv").b().asByteArray());
    }
    LookupTable parsed;
    try {
      parsed = LookupTable.parse(name, gunzip(gz.toByteArray()));
    } catch (LookupTable.InvalidTableException e) {
      throw new IllegalStateException(
          "the pinned copy of " + pk + " is invalid: " + e.getMessage());
    }
    // the version is the hash of the CSV as it was given, which the stored text may quote
    // differently: it is the pinned one
    LookupTable t = new LookupTable(name, parsed.columns(), parsed.rows(), version);
    synchronized (cache) {
      cache.put(pk, t);
    }
    return t;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(b, from, out, 0, out.length);
    return out;
  }

  private static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] b) {
    try (GZIPInputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      // a pinned table was at most LookupTable.MAX_BYTES when pinned
      return z.readNBytes(LookupTable.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
