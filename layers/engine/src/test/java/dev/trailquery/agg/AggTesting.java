package dev.trailquery.agg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Expr;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Building calls without the parser, binding them, and moving states through bytes. */
final class AggTesting {
  private AggTesting() {}

  static final Span SPAN = new Span(0, 1);

  /** A context whose errors are plain {@link QueryException}s; nothing else is needed here. */
  static final CompileContext CTX =
      new CompileContext() {
        @Override
        public String source() {
          return "stats x";
        }

        @Override
        public Evaluator compile(Expr expr) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Evaluator field(String name) {
          throw new UnsupportedOperationException();
        }

        @Override
        public long queryStartMillis() {
          return 0;
        }

        @Override
        public long queryEndMillis() {
          return 0;
        }

        @Override
        public long nowMillis() {
          return 0;
        }

        @Override
        public QueryException error(Span span, String code, String message) {
          return new QueryException(source(), Diagnostic.error(code, message, span));
        }
      };

  static Expr field(String name) {
    return new Expr.FieldRef(name, SPAN);
  }

  static Expr number(double v) {
    return new Expr.NumberLit(v, Double.toString(v), SPAN);
  }

  static Expr.Call call(String name, Expr... args) {
    return new Expr.Call(name, List.of(args), false, SPAN);
  }

  static Expr.Call star(String name) {
    return new Expr.Call(name, List.of(), true, SPAN);
  }

  static BoundAggregate bind(Expr.Call call) {
    return Aggregates.bind(call, CTX);
  }

  /** {@code name(f)}, or {@code name(f, p)} for pct. */
  static AggregateFunction fn(String name, double... params) {
    List<Expr> args = new ArrayList<>();
    args.add(field("f"));
    for (double p : params) {
      args.add(number(p));
    }
    return bind(call(name, args.toArray(Expr[]::new))).function();
  }

  static byte[] bytes(Accumulator acc) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      acc.write(new DataOutputStream(bos));
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads an image and checks that it was consumed to the last byte. */
  static Accumulator read(AggregateFunction fn, byte[] bytes) throws IOException {
    ByteArrayInputStream bis = new ByteArrayInputStream(bytes);
    Accumulator acc = fn.read(new DataInputStream(bis));
    assertThat(bis.available()).as("bytes left after reading the state").isZero();
    return acc;
  }

  static Accumulator roundTrip(AggregateFunction fn, Accumulator acc) {
    try {
      return read(fn, bytes(acc));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Accumulator over(AggregateFunction fn, Object... values) {
    Accumulator acc = fn.create();
    for (Object v : values) {
      acc.add(v, Long.MIN_VALUE);
    }
    return acc;
  }
}
