package dev.trailquery.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The manifest of one compaction window: which raw objects its blocks hold (each exactly once), the
 * objects of the window left raw and why, and every block with its chunks' summaries. A query reads
 * the manifest first, then only the chunks its filter and time range may match; raw objects the
 * manifest covers are never read raw. Stored gzip JSON; written after the blocks it names, so a
 * reader never sees a manifest whose blocks are missing.
 *
 * @param windowStart epoch ms of the window (objects are placed by the time in their key)
 * @param windowMillis the window's length
 * @param generation names this compaction's blocks; a later compaction of the window writes a new
 *     generation and a new manifest
 * @param source where the raw objects were read from (a directory or s3://bucket/prefix)
 * @param objectCount how many raw objects the blocks hold (listed in {@link #objectsName})
 * @param records how many records they hold
 * @param coverage {@link Coverage#hash} of the window's objects, those held and those left: a
 *     listing of the window with the same count and hash needs no look at the object list
 * @param left objects of the window not in blocks (corrupt, foreign, ...) and why
 * @param blocks the blocks, each with its chunks
 */
public record Manifest(
    long windowStart,
    long windowMillis,
    String generation,
    String source,
    long objectCount,
    long records,
    String coverage,
    List<Left> left,
    List<Block> blocks) {

  public static final int VERSION = 1;

  private static final ObjectMapper JSON = Mappers.MAPPER;

  /** A raw object held by the blocks. */
  public record Covered(String container, String key, long size, long records) {}

  /** A raw object of the window that stays raw. */
  public record Left(String container, String key, String status, String error) {}

  /** One block object: its chunks lie back to back. */
  public record Block(String name, long bytes, List<Chunk> chunks) {}

  /**
   * A chunk: a byte range of its block, readable on its own.
   *
   * @param offset first byte in the block
   * @param length bytes
   * @param records records in it
   * @param jsonBytes bytes of their JSON text
   * @param minTime smallest eventTime (epoch ms) of the records that have one
   * @param maxTime largest
   * @param untimed records without a parseable eventTime
   * @param fields index per summarised field: the narrow ones ({@link Compactor#NARROW_FIELDS})
   *     here, the wide ones only after {@link #withWide}
   */
  public record Chunk(
      long offset,
      long length,
      long records,
      long jsonBytes,
      long minTime,
      long maxTime,
      long untimed,
      Map<String, FieldIndex> fields) {}

  /** The object listing the raw objects the blocks hold ({@link #objectsFromBytes}). */
  public String objectsName() {
    return Compactor.folder(windowStart) + generation + ".objects.json.gz";
  }

  /**
   * The object holding each chunk's index of the wide fields ({@link Compactor#WIDE_FIELDS}), read
   * only by queries that filter on them.
   */
  public String indexName() {
    return Compactor.folder(windowStart) + generation + ".index.json.gz";
  }

  /** The chunks of every block, in order. */
  public List<Chunk> chunks() {
    List<Chunk> out = new ArrayList<>();
    blocks.forEach(b -> out.addAll(b.chunks()));
    return out;
  }

  /** This manifest with each chunk's fields joined with {@code wide} (one map per chunk). */
  public Manifest withWide(List<Map<String, FieldIndex>> wide) {
    List<Block> bs = new ArrayList<>();
    int i = 0;
    for (Block b : blocks) {
      List<Chunk> cs = new ArrayList<>();
      for (Chunk c : b.chunks()) {
        Map<String, FieldIndex> f = new LinkedHashMap<>(c.fields());
        if (i < wide.size()) {
          f.putAll(wide.get(i));
        }
        i++;
        cs.add(
            new Chunk(
                c.offset(),
                c.length(),
                c.records(),
                c.jsonBytes(),
                c.minTime(),
                c.maxTime(),
                c.untimed(),
                f));
      }
      bs.add(new Block(b.name(), b.bytes(), cs));
    }
    return new Manifest(
        windowStart, windowMillis, generation, source, objectCount, records, coverage, left, bs);
  }

  public static byte[] objectsToBytes(List<Covered> objects) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode objs = root.putArray("objects");
    for (Covered c : objects) {
      objs.addObject()
          .put("container", c.container())
          .put("key", c.key())
          .put("size", c.size())
          .put("records", c.records());
    }
    return gzip(root);
  }

  public static List<Covered> objectsFromBytes(byte[] bytes) throws IOException {
    List<Covered> objects = new ArrayList<>();
    for (JsonNode o : gunzip(bytes).path("objects")) {
      objects.add(
          new Covered(
              o.path("container").textValue(),
              o.path("key").textValue(),
              o.path("size").asLong(),
              o.path("records").asLong()));
    }
    return objects;
  }

  public static byte[] indexToBytes(List<Map<String, FieldIndex>> wide) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode cs = root.putArray("chunks");
    for (Map<String, FieldIndex> m : wide) {
      ObjectNode fn = cs.addObject();
      m.forEach((k, v) -> fn.set(k, v.toJson()));
    }
    return gzip(root);
  }

  public static List<Map<String, FieldIndex>> indexFromBytes(byte[] bytes) throws IOException {
    List<Map<String, FieldIndex>> out = new ArrayList<>();
    for (JsonNode c : gunzip(bytes).path("chunks")) {
      Map<String, FieldIndex> fields = new LinkedHashMap<>();
      c.properties().forEach(e -> fields.put(e.getKey(), FieldIndex.fromJson(e.getValue())));
      out.add(fields);
    }
    return out;
  }

  private static byte[] gzip(JsonNode root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      JSON.writeValue(gz, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static JsonNode gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      JsonNode n = JSON.readTree(in);
      if (n == null) {
        throw new IOException("empty");
      }
      return n;
    }
  }

  public byte[] toBytes() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("windowStart", windowStart);
    root.put("windowMillis", windowMillis);
    root.put("generation", generation);
    root.put("source", source);
    root.put("objectCount", objectCount);
    root.put("records", records);
    root.put("coverage", coverage);
    ArrayNode lefts = root.putArray("left");
    for (Left l : left) {
      lefts
          .addObject()
          .put("container", l.container())
          .put("key", l.key())
          .put("status", l.status())
          .put("error", l.error());
    }
    ArrayNode bs = root.putArray("blocks");
    for (Block b : blocks) {
      ObjectNode bn = bs.addObject().put("name", b.name()).put("bytes", b.bytes());
      ArrayNode cs = bn.putArray("chunks");
      for (Chunk c : b.chunks()) {
        ObjectNode cn =
            cs.addObject()
                .put("offset", c.offset())
                .put("length", c.length())
                .put("records", c.records())
                .put("jsonBytes", c.jsonBytes())
                .put("minTime", c.minTime())
                .put("maxTime", c.maxTime())
                .put("untimed", c.untimed());
        ObjectNode fn = cn.putObject("fields");
        c.fields().forEach((k, v) -> fn.set(k, v.toJson()));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      JSON.writeValue(gz, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads a manifest; throws {@link IOException} when it is not one of a known version. */
  public static Manifest fromBytes(byte[] bytes) throws IOException {
    JsonNode root;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      root = JSON.readTree(in);
    }
    if (root == null || root.path("version").asInt() != VERSION) {
      throw new IOException("not a trailquery block manifest of version " + VERSION);
    }
    List<Left> left = new ArrayList<>();
    for (JsonNode o : root.path("left")) {
      left.add(
          new Left(
              o.path("container").textValue(),
              o.path("key").textValue(),
              o.path("status").textValue(),
              o.path("error").textValue()));
    }
    List<Block> blocks = new ArrayList<>();
    for (JsonNode b : root.path("blocks")) {
      List<Chunk> chunks = new ArrayList<>();
      for (JsonNode c : b.path("chunks")) {
        Map<String, FieldIndex> fields = new LinkedHashMap<>();
        c.path("fields")
            .properties()
            .forEach(e -> fields.put(e.getKey(), FieldIndex.fromJson(e.getValue())));
        chunks.add(
            new Chunk(
                c.path("offset").asLong(),
                c.path("length").asLong(),
                c.path("records").asLong(),
                c.path("jsonBytes").asLong(),
                c.path("minTime").asLong(),
                c.path("maxTime").asLong(),
                c.path("untimed").asLong(),
                fields));
      }
      blocks.add(new Block(b.path("name").textValue(), b.path("bytes").asLong(), chunks));
    }
    return new Manifest(
        root.path("windowStart").asLong(),
        root.path("windowMillis").asLong(),
        root.path("generation").textValue(),
        root.path("source").textValue(),
        root.path("objectCount").asLong(),
        root.path("records").asLong(),
        root.path("coverage").textValue(),
        left,
        blocks);
  }
}
