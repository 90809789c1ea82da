package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.argSpan;
import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.error;
import static dev.trailquery.fn.Fx.eval;
import static dev.trailquery.fn.Fx.field;
import static dev.trailquery.fn.Fx.num;
import static dev.trailquery.fn.Fx.re;
import static dev.trailquery.fn.Fx.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.value.Timestamp;
import org.junit.jupiter.api.Test;

class StringFunctionsTest {

  @Test
  void isemptyAndIsblank() {
    assertThat(eval("isempty", (Object) null)).isEqualTo(true);
    assertThat(both("isempty", "")).isEqualTo(true);
    assertThat(both("isempty", " ")).isEqualTo(false);
    assertThat(both("isempty", "a")).isEqualTo(false);
    assertThat(both("isempty", 0)).isEqualTo(false);

    assertThat(eval("isblank", (Object) null)).isEqualTo(true);
    assertThat(both("isblank", "")).isEqualTo(true);
    assertThat(both("isblank", " \t\n ")).isEqualTo(true);
    assertThat(both("isblank", " a ")).isEqualTo(false);
  }

  @Test
  void concatTreatsMissingAsEmpty() {
    assertThat(eval("concat", "a", null, "b", 1.5, true)).isEqualTo("ab1.51");
    assertThat(both("concat", "x")).isEqualTo("x");
    assertThat(both("concat", "arn:", "aws")).isEqualTo("arn:aws");
    assertThat(eval("concat", (Object) null)).isEqualTo("");
    assertThat(eval("concat", "t=", new Timestamp(0))).isEqualTo("t=1970-01-01 00:00:00.000");
  }

  @Test
  void trimFamilyDocumentedExamples() {
    assertThat(both("trim", "xyZxyfooxyxyZ", "xyZ")).isEqualTo("foo");
    assertThat(both("ltrim", "xyZfooxyZ", "xyZ")).isEqualTo("fooxyZ");
    assertThat(both("rtrim", "xyZfooxyZ", "xyZ")).isEqualTo("xyZfoo");
  }

  @Test
  void trimWithoutCharsStripsWhitespace() {
    assertThat(both("trim", "  a b \t")).isEqualTo("a b");
    assertThat(both("ltrim", "  a ")).isEqualTo("a ");
    assertThat(both("rtrim", "  a ")).isEqualTo("  a");
    assertThat(both("trim", "   ")).isEqualTo("");
    assertThat(eval("trim", (Object) null)).isNull();
  }

  @Test
  void trimWithCharsStripsOnlyThoseCharacters() {
    assertThat(both("trim", " xfoox ", "x")).isEqualTo(" xfoox ");
    assertThat(both("trim", "xxx", "x")).isEqualTo("");
    assertThat(both("trim", "abc", "")).isEqualTo("abc");
    assertThat(both("trim", "😀a😀", "😀")).isEqualTo("a");
    assertThat(both("ltrim", "--a--", "-")).isEqualTo("a--");
    assertThat(eval("trim", null, "x")).isNull();
    assertThat(eval("trim", "a", null)).isNull();
  }

  @Test
  void strlenCountsCodePoints() {
    assertThat(both("strlen", "abc")).isEqualTo(3.0);
    assertThat(both("strlen", "")).isEqualTo(0.0);
    assertThat(both("strlen", "😀")).isEqualTo(1.0);
    assertThat(both("strlen", "héllo")).isEqualTo(5.0);
    assertThat(both("strlen", 12345)).isEqualTo(5.0);
    assertThat(eval("strlen", (Object) null)).isNull();
  }

  @Test
  void toupperAndTolowerIgnoreTheDefaultLocale() {
    assertThat(both("toupper", "abc-é")).isEqualTo("ABC-É");
    assertThat(both("tolower", "ÀBC")).isEqualTo("àbc");
    assertThat(both("tolower", "TITLE")).isEqualTo("title"); // not a Turkish dotless i
    assertThat(both("toupper", "title")).isEqualTo("TITLE");
    assertThat(eval("toupper", (Object) null)).isNull();
    assertThat(eval("tolower", (Object) null)).isNull();
  }

  @Test
  void substrIsZeroBasedAndClamped() {
    assertThat(both("substr", "xyZfooxyZ", 3, 3)).isEqualTo("foo");
    assertThat(both("substr", "xyZfooxyZ", 3)).isEqualTo("fooxyZ");
    assertThat(both("substr", "abc", 0)).isEqualTo("abc");
    assertThat(both("substr", "abc", 5)).isEqualTo("");
    assertThat(both("substr", "abc", 3)).isEqualTo("");
    assertThat(both("substr", "abc", -2, 2)).isEqualTo("ab");
    assertThat(both("substr", "abc", 1, 100)).isEqualTo("bc");
    assertThat(both("substr", "abc", 1, 0)).isEqualTo("");
    assertThat(both("substr", "abc", 1, -1)).isEqualTo("");
    assertThat(both("substr", "abc", 1.9, 1)).isEqualTo("b");
    assertThat(both("substr", "a😀b", 1, 1)).isEqualTo("😀");
    assertThat(both("substr", "a😀b", 2)).isEqualTo("b");
    assertThat(both("substr", "abc", "1")).isEqualTo("bc");
  }

  @Test
  void substrWithMissingOrNonNumericArgumentsIsMissing() {
    assertThat(eval("substr", null, 1)).isNull();
    assertThat(eval("substr", "abc", null)).isNull();
    assertThat(eval("substr", "abc", 1, null)).isNull();
    assertThat(eval("substr", "abc", "x")).isNull();
  }

  @Test
  void replaceReplacesEveryLiteralOccurrence() {
    assertThat(both("replace", "foo", "o", "0")).isEqualTo("f00");
    assertThat(both("replace", "aaa", "a", "bb")).isEqualTo("bbbbbb");
    assertThat(both("replace", "a.b.c", ".", "-")).isEqualTo("a-b-c");
    assertThat(both("replace", "a$1b", "$1", "\\")).isEqualTo("a\\b");
    assertThat(both("replace", "abc", "", "x")).isEqualTo("abc");
    assertThat(both("replace", "abc", "z", "x")).isEqualTo("abc");
    assertThat(eval("replace", null, "a", "b")).isNull();
    assertThat(eval("replace", "abc", null, "b")).isNull();
    assertThat(eval("replace", "abc", "b", null)).isNull();
  }

  @Test
  void strcontains() {
    assertThat(both("strcontains", "Hello World", "World")).isEqualTo(true);
    assertThat(both("strcontains", "Hello World", "world")).isEqualTo(false);
    assertThat(both("strcontains", "Hello World", "")).isEqualTo(true);
    assertThat(both("strcontains", "Hello", "xyz")).isEqualTo(false);
    assertThat(eval("strcontains", null, "a")).isEqualTo(false);
    assertThat(eval("strcontains", "a", null)).isEqualTo(false);
  }

  @Test
  void caseInsensitiveFlagAsLiteralOrValue() {
    // `true` and `false` parse as field names; they are read as flags here.
    assertThat(eval("strcontains", "Hello World", str("world"), field("true"))).isEqualTo(true);
    assertThat(eval("strcontains", "Hello World", str("world"), field("TRUE"))).isEqualTo(true);
    assertThat(eval("strcontains", "Hello World", str("world"), field("false"))).isEqualTo(false);
    assertThat(eval("strcontains", "Hello World", str("world"), num(1))).isEqualTo(true);
    assertThat(eval("strcontains", "Hello World", str("world"), num(0))).isEqualTo(false);
    assertThat(eval("strcontains", "Hello World", "WORLD", true)).isEqualTo(true);
    assertThat(eval("strcontains", "Hello World", "WORLD", false)).isEqualTo(false);
    assertThat(eval("strcontains", "Hello World", "WORLD", null)).isEqualTo(false);
    assertThat(eval("strcontains", "Hello World", "WORLD", 1)).isEqualTo(true);
  }

  @Test
  void startsWithAndEndsWith() {
    assertThat(both("startsWith", "AssumeRole", "Assume")).isEqualTo(true);
    assertThat(both("startsWith", "AssumeRole", "assume")).isEqualTo(false);
    assertThat(both("startsWith", "AssumeRole", "assume", 1)).isEqualTo(true);
    assertThat(both("startsWith", "AssumeRole", "Role")).isEqualTo(false);
    assertThat(both("endsWith", "AssumeRole", "Role")).isEqualTo(true);
    assertThat(both("endsWith", "ssm.amazonaws.com", "AMAZONAWS.COM")).isEqualTo(false);
    assertThat(both("endsWith", "ssm.amazonaws.com", "AMAZONAWS.COM", 1)).isEqualTo(true);
    assertThat(eval("endsWith", "ssm.amazonaws.com", str(".COM"), field("true"))).isEqualTo(true);
    assertThat(eval("startsWith", null, "a")).isEqualTo(false);
    assertThat(eval("endsWith", null, "a")).isEqualTo(false);
  }

  @Test
  void regexReplaceReplacesEveryMatch() {
    assertThat(eval("regexReplace", "user-123-456", re("[0-9]+"), "N")).isEqualTo("user-N-N");
    assertThat(eval("regexReplace", "aaa", str("a"), "b")).isEqualTo("bbb");
    assertThat(eval("regexReplace", "no digits", re("[0-9]+"), "N")).isEqualTo("no digits");
    assertThat(eval("regexReplace", "ERROR x", re("(?i)error"), "E")).isEqualTo("E x");
    assertThat(eval("regexReplace", "abc", re("x*"), "-")).isEqualTo("-a-b-c-");
    assertThat(eval("regexReplace", null, re("a"), "b")).isNull();
    assertThat(eval("regexReplace", "a", re("a"), null)).isNull();
  }

  @Test
  void regexReplaceGroupReferences() {
    assertThat(eval("regexReplace", "joe@example.com", re("(\\w+)@(\\w+)"), str("$2 at $1")))
        .isEqualTo("example at joe.com");
    assertThat(eval("regexReplace", "joe@x", re("(?P<u>\\w+)@"), str("${u}!"))).isEqualTo("joe!x");
    assertThat(eval("regexReplace", "a1", re("[0-9]"), str("\\$"))).isEqualTo("a$");
    assertThat(eval("regexReplace", "a1", re("[0-9]"), str("$"))).isEqualTo("a$");
    // $12 with one group: group 1, then the digit 2.
    assertThat(eval("regexReplace", "ab", re("(a)"), str("$12"))).isEqualTo("a2b");
    // A group that took no part in the match inserts nothing.
    assertThat(eval("regexReplace", "b", re("(a)?b"), str("[$1]"))).isEqualTo("[]");
    // $0 is the whole match.
    assertThat(eval("regexReplace", "ab", re("b"), str("<$0>"))).isEqualTo("a<b>");
    // A per-row replacement is parsed per row; a bad one gives a missing result.
    assertThat(eval("regexReplace", "ab", re("(a)"), "[$1]")).isEqualTo("[a]b");
    assertThat(eval("regexReplace", "ab", re("(a)"), "$3")).isNull();
  }

  @Test
  void regexReplaceNeedsALiteralValidRegex() {
    Diagnostic d = error("regexReplace", "abc", "[0-9]", "x");
    assertThat(d.code()).isEqualTo("TQ2203");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message()).contains("regexReplace").contains("regex");

    d = error("regexReplace", "abc", re("(a"), str("x"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message()).isEqualTo("invalid regex: missing closing ): `(a`");

    d = error("regexReplace", "abc", re("(a)"), str("$2"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(2));
    assertThat(d.message()).contains("$2").contains("1 group");

    d = error("regexReplace", "abc", re("(a)"), str("${nope}"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(2));
  }

  @Test
  void urlencodeAndUrldecode() {
    assertThat(both("urlencode", "a b&c=d/é")).isEqualTo("a+b%26c%3Dd%2F%C3%A9");
    assertThat(both("urlencode", "a.b-c_d*e")).isEqualTo("a.b-c_d*e");
    assertThat(both("urldecode", "a+b%26c%3Dd%2F%C3%A9")).isEqualTo("a b&c=d/é");
    assertThat(both("urldecode", "%7Bx%7D")).isEqualTo("{x}");
    assertThat(both("urldecode", "%zz")).isNull();
    assertThat(both("urldecode", "100%")).isNull();
    assertThat(eval("urlencode", (Object) null)).isNull();
    assertThat(eval("urldecode", (Object) null)).isNull();
  }

  @Test
  void base64() {
    assertThat(both("base64encode", "hello")).isEqualTo("aGVsbG8=");
    assertThat(both("base64encode", "")).isEqualTo("");
    assertThat(both("base64encode", "??>")).isEqualTo("Pz8+");
    assertThat(both("base64decode", "aGVsbG8=")).isEqualTo("hello");
    assertThat(both("base64decode", "aGVsbG8")).isEqualTo("hello");
    assertThat(both("base64decode", "Pz8+")).isEqualTo("??>");
    assertThat(both("base64decode", "Pz8-")).isEqualTo("??>");
    assertThat(both("base64decode", "!!!")).isNull();
    assertThat(eval("base64encode", (Object) null)).isNull();
    assertThat(eval("base64decode", (Object) null)).isNull();
  }

  @Test
  void hexConversions() {
    assertThat(both("hexToAscii", "48656c6c6f")).isEqualTo("Hello");
    assertThat(both("hexToAscii", "0x414243")).isEqualTo("ABC");
    assertThat(both("hexToAscii", "abc")).isNull();
    assertThat(both("hexToAscii", "zz")).isNull();
    assertThat(both("hexToAscii", "")).isNull();

    assertThat(both("hexToDec", "ff")).isEqualTo(255.0);
    assertThat(both("hexToDec", "0x1F")).isEqualTo(31.0);
    assertThat(both("hexToDec", "FFFFFFFFFFFFFFFF")).isEqualTo(0x1p64);
    assertThat(both("hexToDec", "g")).isNull();
    assertThat(both("hexToDec", "")).isNull();
    assertThat(both("hexToDec", "١٢")).isNull(); // Arabic-Indic digits are not hex

    assertThat(both("decToHex", 255)).isEqualTo("ff");
    assertThat(both("decToHex", 0)).isEqualTo("0");
    assertThat(both("decToHex", "4096")).isEqualTo("1000");
    assertThat(both("decToHex", 10.9)).isEqualTo("a");
    assertThat(both("decToHex", -1)).isEqualTo("ffffffffffffffff");
    assertThat(both("decToHex", "x")).isNull();
    assertThat(eval("hexToDec", (Object) null)).isNull();
    assertThat(eval("decToHex", (Object) null)).isNull();
    assertThat(eval("hexToAscii", (Object) null)).isNull();
  }
}
