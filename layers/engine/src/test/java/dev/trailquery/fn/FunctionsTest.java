package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.CALL_SPAN;
import static dev.trailquery.fn.Fx.error;
import static dev.trailquery.fn.Fx.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ast.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionsTest {

  private static final int MANY = Integer.MAX_VALUE;

  /** Every function with its documented argument counts {min, max}: the reference's signatures. */
  static final Map<String, int[]> ARITY = new LinkedHashMap<>();

  static {
    // General
    arity("ispresent", 1, 1);
    arity("coalesce", 1, MANY);
    arity("if", 2, 3);
    arity("case", 2, 21);
    arity("isNumeric", 1, 1);
    arity("messageSize", 1, 1);
    arity("queryStartTime", 0, 0);
    arity("queryEndTime", 0, 0);
    arity("queryTimeRange", 0, 0);
    // String
    arity("isempty", 1, 1);
    arity("isblank", 1, 1);
    arity("concat", 1, MANY);
    arity("ltrim", 1, 2);
    arity("rtrim", 1, 2);
    arity("trim", 1, 2);
    arity("strlen", 1, 1);
    arity("toupper", 1, 1);
    arity("tolower", 1, 1);
    arity("substr", 2, 3);
    arity("replace", 3, 3);
    arity("strcontains", 2, 3);
    arity("startsWith", 2, 3);
    arity("endsWith", 2, 3);
    arity("regexReplace", 3, 3);
    arity("urlencode", 1, 1);
    arity("urldecode", 1, 1);
    arity("base64encode", 1, 1);
    arity("base64decode", 1, 1);
    arity("hexToAscii", 1, 1);
    arity("hexToDec", 1, 1);
    arity("decToHex", 1, 1);
    // Numeric
    arity("abs", 1, 1);
    arity("ceil", 1, 1);
    arity("floor", 1, 1);
    arity("greatest", 1, MANY);
    arity("least", 1, MANY);
    arity("log", 1, 1);
    arity("sqrt", 1, 1);
    arity("round", 1, 2);
    arity("toNumber", 1, 1);
    arity("toDouble", 1, 1);
    arity("toInt", 1, 1);
    arity("toLong", 1, 1);
    arity("haversine", 4, 4);
    // Date and time
    arity("bin", 1, 1);
    arity("datefloor", 2, 2);
    arity("dateceil", 2, 2);
    arity("fromMillis", 1, 1);
    arity("toMillis", 1, 1);
    arity("now", 0, 0);
    arity("parseDate", 2, 3);
    arity("formatDate", 2, 3);
    arity("strftime", 2, 3);
    // IP
    arity("isValidIp", 1, 1);
    arity("isValidIpV4", 1, 1);
    arity("isValidIpV6", 1, 1);
    arity("isIpInSubnet", 2, 2);
    arity("isIpv4InSubnet", 2, 2);
    arity("isIpv6InSubnet", 2, 2);
    arity("isPrivateIP", 1, 1);
    arity("isPublicIP", 1, 1);
    arity("isReservedIP", 1, 1);
    arity("ipv4ToNumber", 1, 1);
    // Hash
    arity("md5", 1, 1);
    arity("sha256", 1, 1);
    arity("filterPattern", 1, 2);
    // JSON
    arity("jsonParse", 1, 1);
    arity("jsonStringify", 1, 1);
    arity("jsonArraySize", 1, 1);
    arity("jsonArrayContains", 2, 2);
    arity("split", 2, 2);
  }

  private static void arity(String name, int min, int max) {
    ARITY.put(name, new int[] {min, max});
  }

  /**
   * The functions whose behaviour the family tests check (kept by hand next to those tests): every
   * registered function must be among them.
   */
  static final List<String> BEHAVIOUR_TESTED =
      List.of(
          // json.JsonQueryTest, json.JsonFunctionsTest
          "jsonParse",
          "jsonStringify",
          "jsonArraySize",
          "jsonArrayContains",
          "split",
          // GeneralFunctionsTest
          "ispresent",
          "coalesce",
          "if",
          "case",
          "isNumeric",
          "messageSize",
          "queryStartTime",
          "queryEndTime",
          "queryTimeRange",
          // StringFunctionsTest
          "isempty",
          "isblank",
          "concat",
          "ltrim",
          "rtrim",
          "trim",
          "strlen",
          "toupper",
          "tolower",
          "substr",
          "replace",
          "strcontains",
          "startsWith",
          "endsWith",
          "regexReplace",
          "urlencode",
          "urldecode",
          "base64encode",
          "base64decode",
          "hexToAscii",
          "hexToDec",
          "decToHex",
          // NumericFunctionsTest
          "abs",
          "ceil",
          "floor",
          "greatest",
          "least",
          "log",
          "sqrt",
          "round",
          "toNumber",
          "toDouble",
          "toInt",
          "toLong",
          "haversine",
          // DateTimeFunctionsTest
          "bin",
          "datefloor",
          "dateceil",
          "fromMillis",
          "toMillis",
          "now",
          "parseDate",
          "formatDate",
          "strftime",
          // IpFunctionsTest
          "isValidIp",
          "isValidIpV4",
          "isValidIpV6",
          "isIpInSubnet",
          "isIpv4InSubnet",
          "isIpv6InSubnet",
          "isPrivateIP",
          "isPublicIP",
          "isReservedIP",
          "ipv4ToNumber",
          // HashFunctionsTest
          "md5",
          "sha256",
          // metricfilter.FilterPatternQueryTest
          "filterPattern");

  @Test
  void everyRegisteredFunctionIsTestedAndHasADocumentedArity() {
    assertThat(Functions.names()).doesNotHaveDuplicates();
    assertThat(Functions.names()).containsExactlyInAnyOrderElementsOf(BEHAVIOUR_TESTED);
    assertThat(Functions.names()).containsExactlyInAnyOrderElementsOf(ARITY.keySet());
  }

  @Test
  void lookupIsCaseInsensitiveAndReturnsTheDocumentedSpelling() {
    assertThat(Functions.lookup("isvalidipv4").name()).isEqualTo("isValidIpV4");
    assertThat(Functions.lookup("ISVALIDIPV4").name()).isEqualTo("isValidIpV4");
    assertThat(Functions.lookup("StrLen").name()).isEqualTo("strlen");
    assertThat(Functions.lookup("FROMMILLIS").name()).isEqualTo("fromMillis");
    for (String name : Functions.names()) {
      assertThat(Functions.lookup(name).name()).isEqualTo(name);
    }
  }

  @Test
  void aggregatesAndUnknownNamesAreNotScalarFunctions() {
    for (String name :
        List.of("count", "sum", "avg", "pct", "earliest", "countFrequent", "nope", "")) {
      assertThat(Functions.lookup(name)).as(name).isNull();
    }
    assertThat(Functions.lookup(null)).isNull();
  }

  static Stream<String> names() {
    return ARITY.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("names")
  void tooFewOrTooManyArgumentsIsACompileErrorOnTheCall(String name) {
    int min = ARITY.get(name)[0];
    int max = ARITY.get(name)[1];
    Set<Integer> wrong = new HashSet<>();
    if (min > 0) {
      wrong.add(min - 1);
    }
    if (max != MANY) {
      wrong.add(max + 1);
    }
    for (int n : wrong) {
      List<Expr> args = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        args.add(str("x"));
      }
      Diagnostic d = error(Fx.call(name, args.toArray(Expr[]::new)));
      assertThat(d.code()).as("%s with %d arguments", name, n).isEqualTo("TQ2202");
      assertThat(d.span()).isEqualTo(CALL_SPAN);
      assertThat(d.message()).startsWith(name + " takes ").endsWith(", got " + n);
    }
  }

  @Test
  void arityMessagesReadNaturally() {
    assertThat(error("strlen", "a", "b").message()).isEqualTo("strlen takes 1 argument, got 2");
    assertThat(error("now", "a").message()).isEqualTo("now takes no arguments, got 1");
    assertThat(error("substr", "a").message()).isEqualTo("substr takes 2 or 3 arguments, got 1");
    assertThat(error("concat").message()).isEqualTo("concat takes at least 1 argument, got 0");
    assertThat(error("haversine", 1, 2).message()).isEqualTo("haversine takes 4 arguments, got 2");
    assertThat(error("replace", "a", "b").message()).isEqualTo("replace takes 3 arguments, got 2");
  }

  @Test
  void caseTakesAtMostTenBranches() {
    Object[] args = new Object[22];
    java.util.Arrays.fill(args, "x");
    assertThat(error("case", args).message())
        .isEqualTo(
            "case takes at most 21 arguments (10 condition/value pairs and a default), got 22");
  }

  @Test
  void theDocumentedSpellingIsUsedWhateverTheCaseWritten() {
    assertThat(error("STRLEN").message()).isEqualTo("strlen takes 1 argument, got 0");
  }

  @Test
  void starIsOnlyForCount() {
    Diagnostic d = error(new Expr.Call("strlen", List.of(), true, CALL_SPAN));
    assertThat(d.code()).isEqualTo("TQ2202");
    assertThat(d.span()).isEqualTo(CALL_SPAN);
    assertThat(d.message()).contains("strlen").contains("'*'");
  }
}
