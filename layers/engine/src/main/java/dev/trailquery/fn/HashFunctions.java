package dev.trailquery.fn;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Values;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** {@code md5(s)} and {@code sha256(s)}: the digest of the UTF-8 text, in lowercase hex. */
final class HashFunctions {
  private HashFunctions() {}

  static List<FunctionDef> all() {
    return List.of(digest("md5", "MD5"), digest("sha256", "SHA-256"));
  }

  private static Def digest(String name, String algorithm) {
    newDigest(algorithm); // fail fast if the JDK lacks it
    return new Def(
        name,
        1,
        1,
        (call, args, ctx) -> {
          Evaluator a = args.getFirst();
          return row -> {
            String s = Values.toText(a.eval(row));
            if (s == null) {
              return null;
            }
            byte[] d = newDigest(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
          };
        });
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
