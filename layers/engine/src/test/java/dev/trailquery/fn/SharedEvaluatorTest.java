package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.field;
import static dev.trailquery.fn.Fx.re;
import static dev.trailquery.fn.Fx.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.eval.Evaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One compiled evaluator is shared by every worker thread of a scan. */
class SharedEvaluatorTest {

  @Test
  void compiledEvaluatorsGiveTheSameAnswersOnManyThreads() throws Exception {
    Fx.Ctx ctx = new Fx.Ctx();
    int x = ctx.slot("x");
    Evaluator regex =
        ctx.compile(Fx.call("regexReplace", field("x"), re("([a-z]+)-(\\d+)"), str("$2:$1")));
    Evaluator format =
        ctx.compile(Fx.call("formatDate", field("x"), str("%Y-%m-%d %H"), str("Europe/Paris")));
    Evaluator subnet = ctx.compile(Fx.call("isIpInSubnet", field("x"), str("10.0.0.0/8")));
    Evaluator hash = ctx.compile(Fx.call("sha256", field("x")));

    int threads = 4;
    int rounds = 2_000;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < rounds; i++) {
                    int n = seed * rounds + i;
                    Object[] row = new Object[ctx.slots.size()];
                    row[x] = "abc-" + n;
                    ok += ("" + n + ":abc").equals(regex.eval(row)) ? 1 : 0;
                    row[x] = "2023-07-10T11:42:18Z";
                    ok += "2023-07-10 13".equals(format.eval(row)) ? 1 : 0;
                    row[x] = "10.0." + (n % 256) + ".1";
                    ok += Boolean.TRUE.equals(subnet.eval(row)) ? 1 : 0;
                    row[x] = "abc";
                    ok +=
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                                .equals(hash.eval(row))
                            ? 1
                            : 0;
                  }
                  return ok;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(4 * rounds);
      }
    }
  }
}
