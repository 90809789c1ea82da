package dev.trailquery.functions.blocks;

import dev.trailquery.blocks.BlockQuery;
import dev.trailquery.blocks.BlockStore;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The raw objects' source, plus the block store the chunk runs of {@link BlockRefs} are read from:
 * what a worker needs when its batch mixes both.
 */
public final class BlockSource implements ObjectSource {
  private final ObjectSource raw;
  private final BlockStore store;

  public BlockSource(ObjectSource raw, BlockStore store) {
    this.raw = raw;
    this.store = store;
  }

  public ObjectSource raw() {
    return raw;
  }

  public BlockStore store() {
    return store;
  }

  /**
   * Scans a worker's batch: raw objects as {@link Scan} does ({@code parallelism} at once), chunk
   * runs with the block reader; one merged state.
   */
  public PartialState scanAll(
      Plan plan, List<ObjectRef> objects, int parallelism, BooleanSupplier cancelled) {
    List<Scan.Input> raws = new ArrayList<>();
    List<BlockQuery.Task> runs = new ArrayList<>();
    for (ObjectRef r : objects) {
      if (BlockRefs.isBlockRef(r)) {
        runs.add(BlockRefs.decode(r));
      } else {
        raws.add(new Scan.Input(raw, r));
      }
    }
    PartialState state =
        new Scan(plan).scanAll(raws, parallelism, Scan.Listener.NONE, cancelled, true);
    if (!runs.isEmpty() && !cancelled.getAsBoolean()) {
      // a run is megabytes of JSON to parse: a few at once keep the CPU busy
      state.merge(new BlockQuery(plan, store).scan(runs, Math.min(parallelism, 4)));
    }
    return state;
  }

  /** Reads a chunk run into {@code state}; a damaged block fails the batch (and so the query). */
  public void scan(Plan plan, CloudTrailReader reader, ObjectRef ref, PartialState state) {
    try {
      new BlockQuery(plan, store).scanChunks(reader, BlockRefs.decode(ref), state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<ObjectRef> list() throws IOException {
    return raw.list();
  }

  @Override
  public InputStream open(ObjectRef ref) throws IOException {
    if (BlockRefs.isBlockRef(ref)) {
      throw new IOException("a block chunk run is read with scan(), not opened: " + ref.key());
    }
    return raw.open(ref);
  }

  @Override
  public String location() {
    return raw.location();
  }
}
