package dev.trailquery.functions.blocks;

import dev.trailquery.blocks.BlockQuery;
import dev.trailquery.blocks.BlockStore;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.plan.Plan;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A catalog that answers from compacted blocks where they exist: the raw catalog lists the range as
 * before, then the manifests of the windows listed replace the objects their blocks hold by runs of
 * the chunks the query may match ({@link BlockRefs}); objects not compacted stay as they are.
 */
public final class BlockCatalog implements ObjectCatalog {
  private final ObjectCatalog raw;
  private final BlockStore store;
  private final BlockSource source;

  public BlockCatalog(ObjectCatalog raw, BlockStore store) {
    this.raw = raw;
    this.store = store;
    this.source = new BlockSource(raw.source(), store);
  }

  @Override
  public List<ObjectRef> list(Range range) throws IOException {
    return raw.list(range);
  }

  @Override
  public List<ObjectRef> list(Range range, Plan plan) throws IOException {
    List<ObjectRef> refs = raw.list(range);
    if (plan == null || refs.isEmpty()) {
      return refs;
    }
    List<Scan.Input> inputs = new ArrayList<>(refs.size());
    for (ObjectRef r : refs) {
      inputs.add(new Scan.Input(raw.source(), r));
    }
    String container = refs.getFirst().container();
    List<ObjectRef> out = new ArrayList<>();
    for (BlockQuery.Task t : new BlockQuery(plan, store).tasksFor(inputs)) {
      switch (t) {
        case BlockQuery.Raw r -> out.add(r.input().ref());
        case BlockQuery.ChunkRun c -> out.add(BlockRefs.encode(c, container));
      }
    }
    return out;
  }

  @Override
  public ObjectSource source() {
    return source;
  }
}
