package dev.trailquery.functions.blocks;

import dev.trailquery.blocks.BlockQuery;
import dev.trailquery.blocks.Manifest;
import dev.trailquery.store.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run of block chunks travelling through the fan-out as an {@link ObjectRef} (so batching by
 * size, worker requests and retries stay as they are): key {@code tqblocks:NAME@OFFSET+LENGTH:
 * off+len,off+len,...} (chunk offsets relative to the run), size the run's bytes.
 */
public final class BlockRefs {
  static final String SCHEME = "tqblocks:";

  private BlockRefs() {}

  public static boolean isBlockRef(ObjectRef ref) {
    return ref.key().startsWith(SCHEME);
  }

  public static ObjectRef encode(BlockQuery.ChunkRun run, String container) {
    StringBuilder b =
        new StringBuilder(SCHEME)
            .append(run.block())
            .append('@')
            .append(run.offset())
            .append('+')
            .append(run.length())
            .append(':');
    for (int i = 0; i < run.chunks().size(); i++) {
      Manifest.Chunk c = run.chunks().get(i);
      b.append(i == 0 ? "" : ",").append(c.offset() - run.offset()).append('+').append(c.length());
    }
    return new ObjectRef(container, b.toString(), run.length());
  }

  public static BlockQuery.ChunkRun decode(ObjectRef ref) {
    String k = ref.key().substring(SCHEME.length());
    int colon = k.lastIndexOf(':');
    String head = k.substring(0, colon);
    int at = head.lastIndexOf('@');
    int plus = head.lastIndexOf('+');
    String name = head.substring(0, at);
    long offset = Long.parseLong(head.substring(at + 1, plus));
    long length = Long.parseLong(head.substring(plus + 1));
    List<Manifest.Chunk> chunks = new ArrayList<>();
    for (String c : k.substring(colon + 1).split(",")) {
      int p = c.indexOf('+');
      long off = offset + Long.parseLong(c.substring(0, p));
      long len = Long.parseLong(c.substring(p + 1));
      chunks.add(new Manifest.Chunk(off, len, 0, 0, 0, 0, 0, Map.of()));
    }
    return new BlockQuery.ChunkRun(name, offset, length, chunks);
  }
}
