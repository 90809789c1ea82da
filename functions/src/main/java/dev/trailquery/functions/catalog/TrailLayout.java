package dev.trailquery.functions.catalog;

import dev.trailquery.store.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * How a time range maps to the objects of the key layout CloudTrail writes ({@link
 * CloudTrailKeys}): {@code [prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/
 * MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz}.
 *
 * <p>A time range maps to the day folders it touches; the whole tree is never listed. Accounts
 * (including those under an organization folder) and regions are discovered with delimiter listings
 * and cached. Within a day, objects are picked by the delivery time in their name: a file holds
 * records written before that time, so the window is widened by {@link #before} (clock skew and the
 * minute rounding of the name) and {@link #after} (delivery delay). Records are then filtered by
 * {@code eventTime} by the engine.
 */
public final class TrailLayout {
  /** One level of a key tree: an S3 bucket listed with a delimiter, or a directory. */
  public interface Tree {
    /** Names of the "folders" directly under {@code prefix} (which ends with {@code /}). */
    List<String> folders(String prefix) throws IOException;

    /** Every object under {@code prefix}. */
    List<ObjectRef> objects(String prefix) throws IOException;

    /** Names this tree in the discovery cache (a bucket, a directory). */
    String id();
  }

  /** Ranges longer than this many days are resolved by listing years and months first. */
  static final int DIRECT_DAYS = 62;

  /** Listed (account, region) pairs are reused this long. */
  static final long DISCOVERY_TTL_MILLIS = 10 * 60 * 1000;

  private record Discovered(List<RegionPrefix> regions, long atMillis) {}

  /** {@code .../AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/}. */
  record RegionPrefix(String account, String region, String prefix) {}

  private final Duration before;
  private final Duration after;
  private final int listConcurrency;
  private final LongSupplier clock;
  private final Map<String, Discovered> cache = new ConcurrentHashMap<>();

  /**
   * @param before how much earlier than the range a file's name time may be
   * @param after how much later than the range a file's name time may be (delivery delay)
   * @param listConcurrency LIST requests in flight
   */
  public TrailLayout(Duration before, Duration after, int listConcurrency, LongSupplier clock) {
    this.before = before;
    this.after = after;
    this.listConcurrency = Math.max(1, listConcurrency);
    this.clock = clock;
  }

  public static TrailLayout defaults() {
    return new TrailLayout(
        Duration.ofMinutes(5), Duration.ofHours(1), 16, System::currentTimeMillis);
  }

  public Duration before() {
    return before;
  }

  public Duration after() {
    return after;
  }

  /**
   * Whether an object may hold records of the range, judged by its name: true for names that are
   * not CloudTrail's (they are read and filtered by eventTime).
   */
  public boolean mayHold(String key, ObjectCatalog.Range range) {
    CloudTrailKeys.FileName f = CloudTrailKeys.parseName(key);
    if (f == null) {
      return true;
    }
    if (!range.accounts().isEmpty() && !range.accounts().contains(f.account())) {
      return false;
    }
    if (!range.regions().isEmpty() && !range.regions().contains(f.region())) {
      return false;
    }
    return f.deliveredMillis() >= sat(range.startMillis(), -before.toMillis())
        && f.deliveredMillis() < sat(range.endMillis(), after.toMillis());
  }

  private static long sat(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  /** The objects under {@code awsLogs} (a prefix ending in {@code AWSLogs/}) the range needs. */
  public List<ObjectRef> list(Tree tree, String awsLogs, ObjectCatalog.Range range)
      throws IOException {
    List<RegionPrefix> regions = new ArrayList<>();
    for (RegionPrefix r : discover(tree, awsLogs)) {
      if ((range.accounts().isEmpty() || range.accounts().contains(r.account()))
          && (range.regions().isEmpty() || range.regions().contains(r.region()))) {
        regions.add(r);
      }
    }
    long from = sat(range.startMillis(), -before.toMillis());
    long to = sat(range.endMillis(), after.toMillis());
    LocalDate first = day(Math.max(from, 0));
    LocalDate last = day(Math.min(to, Instant.parse("9999-12-31T00:00:00Z").toEpochMilli()));
    if (to <= 0 || first.isAfter(last)) {
      return List.of();
    }
    long days = java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1;
    List<String> dayPrefixes = new ArrayList<>();
    if (days <= DIRECT_DAYS) {
      for (RegionPrefix r : regions) {
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
          dayPrefixes.add(r.prefix() + CloudTrailKeys.dayFolder(d));
        }
      }
    } else {
      dayPrefixes.addAll(parallel(regions, r -> existingDays(tree, r.prefix(), first, last)));
    }
    List<ObjectRef> out = new ArrayList<>();
    for (ObjectRef ref : parallel(dayPrefixes, tree::objects)) {
      if (mayHold(ref.key(), range)) {
        out.add(ref);
      }
    }
    out.sort(java.util.Comparator.comparing(ObjectRef::key));
    return out;
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** Day prefixes under a region that exist and fall in [first, last]: years, months, then days. */
  private static List<String> existingDays(
      Tree tree, String region, LocalDate first, LocalDate last) throws IOException {
    List<String> out = new ArrayList<>();
    for (String y : tree.folders(region)) {
      int year = number(y);
      if (year < first.getYear() || year > last.getYear()) {
        continue;
      }
      for (String m : tree.folders(region + y + "/")) {
        int month = number(m);
        if (month < 1 || month > 12) {
          continue;
        }
        LocalDate monthStart = LocalDate.of(year, month, 1);
        if (monthStart.isAfter(last) || monthStart.plusMonths(1).isBefore(first.plusDays(1))) {
          continue;
        }
        for (String d : tree.folders(region + y + "/" + m + "/")) {
          int dom = number(d);
          if (dom < 1 || dom > monthStart.lengthOfMonth()) {
            continue;
          }
          LocalDate date = LocalDate.of(year, month, dom);
          if (!date.isBefore(first) && !date.isAfter(last)) {
            out.add(region + y + "/" + m + "/" + d + "/");
          }
        }
      }
    }
    return out;
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Accounts and regions under {@code awsLogs}, listed once and cached. */
  List<RegionPrefix> discover(Tree tree, String awsLogs) throws IOException {
    String cacheKey = tree.id() + "\n" + awsLogs;
    Discovered d = cache.get(cacheKey);
    long now = clock.getAsLong();
    if (d != null && now - d.atMillis() < DISCOVERY_TTL_MILLIS) {
      return d.regions();
    }
    List<String[]> accounts = new ArrayList<>();
    for (String name : tree.folders(awsLogs)) {
      if (CloudTrailKeys.isAccount(name)) {
        accounts.add(new String[] {name, awsLogs + name + "/"});
      } else if (name.startsWith("o-")) {
        for (String acct : tree.folders(awsLogs + name + "/")) {
          if (CloudTrailKeys.isAccount(acct)) {
            accounts.add(new String[] {acct, awsLogs + name + "/" + acct + "/"});
          }
        }
      }
    }
    List<RegionPrefix> regions =
        parallel(
            accounts,
            a -> {
              String base = a[1] + CloudTrailKeys.CLOUDTRAIL;
              return tree.folders(base).stream()
                  .map(r -> new RegionPrefix(a[0], r, base + r + "/"))
                  .toList();
            });
    cache.put(cacheKey, new Discovered(List.copyOf(regions), now));
    return regions;
  }

  @FunctionalInterface
  private interface IoFunction<T, R> {
    R apply(T t) throws IOException;
  }

  /** Applies {@code f} to every item with up to {@link #listConcurrency} calls in flight. */
  private <T, R> List<R> parallel(List<T> items, IoFunction<T, List<R>> f) throws IOException {
    if (items.size() <= 1 || listConcurrency == 1) {
      List<R> out = new ArrayList<>();
      for (T t : items) {
        out.addAll(f.apply(t));
      }
      return out;
    }
    Semaphore permits = new Semaphore(listConcurrency);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<R>>> futures = new ArrayList<>();
      for (T t : items) {
        futures.add(
            pool.submit(
                () -> {
                  permits.acquire();
                  try {
                    return f.apply(t);
                  } finally {
                    permits.release();
                  }
                }));
      }
      List<R> out = new ArrayList<>();
      for (Future<List<R>> fu : futures) {
        out.addAll(fu.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("listing interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
  }
}
