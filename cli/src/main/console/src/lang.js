// The Logs Insights query language for CodeMirror 6: a stream tokenizer (highlighting), completion of
// commands, functions, keywords and discovered field names.
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

export const COMMANDS = {
  fields: "fields f1, f2, expr as alias — choose and compute fields",
  display: "display f1, f2 — the fields to show",
  filter: "filter condition — keep matching records",
  where: "where condition — the same as filter",
  stats: "stats agg(...) [as name] [by f, bin(5m)] — aggregate",
  sort: "sort f [asc|desc], ... — order the rows",
  limit: "limit n — the first n rows",
  head: "head n — the same as limit",
  parse: 'parse field "glob * pattern" as a, b | parse field /(?<name>re)/',
  dedup: "dedup f1, f2 — the first row of each distinct combination",
};

export const FUNCTIONS = {
  // aggregates
  count: "count(*) | count(f) — rows (where f is present)", count_distinct: "count_distinct(f)",
  sum: "sum(f)", avg: "avg(f)", min: "min(f)", max: "max(f)", pct: "pct(f, 99)",
  stddev: "stddev(f)", variance: "variance(f)", earliest: "earliest(f)", latest: "latest(f)",
  sortsFirst: "sortsFirst(f)", sortsLast: "sortsLast(f)",
  // general
  ispresent: "ispresent(f)", coalesce: "coalesce(a, ...)", if: "if(c, a[, b])", case: "case(c1, v1, ..., [default])",
  isNumeric: "isNumeric(v)", messageSize: "messageSize(f)", queryStartTime: "queryStartTime()",
  queryEndTime: "queryEndTime()", queryTimeRange: "queryTimeRange()",
  // string
  isempty: "isempty(s)", isblank: "isblank(s)", concat: "concat(a, b, ...)", ltrim: "ltrim(s[, chars])",
  rtrim: "rtrim(s[, chars])", trim: "trim(s[, chars])", strlen: "strlen(s)", toupper: "toupper(s)",
  tolower: "tolower(s)", substr: "substr(s, start[, len])", replace: "replace(s, search, repl)",
  strcontains: "strcontains(s, t[, ci])", startsWith: "startsWith(s, t[, ci])", endsWith: "endsWith(s, t[, ci])",
  regexReplace: "regexReplace(s, /re/, repl)", urlencode: "urlencode(s)", urldecode: "urldecode(s)",
  base64encode: "base64encode(s)", base64decode: "base64decode(s)", hexToAscii: "hexToAscii(s)",
  hexToDec: "hexToDec(s)", decToHex: "decToHex(n)",
  // numeric
  abs: "abs(n)", ceil: "ceil(n)", floor: "floor(n)", greatest: "greatest(a, ...)", least: "least(a, ...)",
  log: "log(n)", sqrt: "sqrt(n)", round: "round(a[, digits])", toNumber: "toNumber(v)", toDouble: "toDouble(v)",
  toInt: "toInt(v)", toLong: "toLong(v)", haversine: "haversine(lat1, lon1, lat2, lon2)",
  // date-time
  bin: "bin(5m) — the time bin of @timestamp", datefloor: "datefloor(t, period)", dateceil: "dateceil(t, period)",
  fromMillis: "fromMillis(ms)", toMillis: "toMillis(t)", now: "now() — epoch seconds",
  parseDate: "parseDate(s, javaPattern[, tz])", formatDate: "formatDate(t, format[, tz])", strftime: "strftime(t, format[, tz])",
  // IP
  isValidIp: "isValidIp(s)", isValidIpV4: "isValidIpV4(s)", isValidIpV6: "isValidIpV6(s)",
  isIpInSubnet: "isIpInSubnet(ip, cidr)", isIpv4InSubnet: "isIpv4InSubnet(ip, cidr)", isIpv6InSubnet: "isIpv6InSubnet(ip, cidr)",
  isPrivateIP: "isPrivateIP(ip)", isPublicIP: "isPublicIP(ip)", isReservedIP: "isReservedIP(ip)", ipv4ToNumber: "ipv4ToNumber(ip)",
  // hash and metric filters
  md5: "md5(s)", sha256: "sha256(s)", filterPattern: "filterPattern('PATTERN'[, 'VALUE'])",
};

export const KEYWORDS = ["by", "as", "asc", "desc", "and", "or", "not", "like", "in"];

/** Field names every CloudTrail record has or often has (completion before any results). */
export const CLOUDTRAIL_FIELDS = [
  "@timestamp", "@message", "@ptr", "@logStream", "@log",
  "eventTime", "eventName", "eventSource", "eventType", "eventCategory", "eventID", "eventVersion",
  "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "readOnly",
  "recipientAccountId", "managementEvent", "requestID", "sharedEventID",
  "userIdentity.type", "userIdentity.arn", "userIdentity.accountId", "userIdentity.principalId",
  "userIdentity.userName", "userIdentity.accessKeyId", "userIdentity.invokedBy",
  "userIdentity.sessionContext.sessionIssuer.arn", "userIdentity.sessionContext.sessionIssuer.userName",
  "userIdentity.sessionContext.attributes.mfaAuthenticated",
  "requestParameters.bucketName", "responseElements.ConsoleLogin", "additionalEventData.MFAUsed",
  "tlsDetails.clientProvidedHostHeader", "resources.0.ARN",
];

const COMMAND_SET = new Set(Object.keys(COMMANDS));
const KEYWORD_SET = new Set(KEYWORDS);

function quoted(stream, q) {
  stream.next();
  let escaped = false;
  let ch;
  while ((ch = stream.next()) != null) {
    if (ch === q && !escaped) return;
    escaped = !escaped && ch === "\\";
  }
}

const logsInsights = StreamLanguage.define({
  name: "logs-insights",
  startState: () => ({ command: true, regexOk: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    const ch = stream.peek();
    if (ch === "#") {
      stream.skipToEnd();
      return "comment";
    }
    if (ch === '"' || ch === "'") {
      quoted(stream, ch);
      state.command = false;
      state.regexOk = false;
      return "string";
    }
    if (ch === "`") {
      quoted(stream, "`");
      state.command = false;
      state.regexOk = false;
      return "propertyName";
    }
    if (ch === "/" && state.regexOk) {
      quoted(stream, "/");
      stream.match(/^[a-z]*/);
      state.regexOk = false;
      return "regexp";
    }
    if (stream.match(/^\{\{\s*\w+\s*\}\}/)) {
      // a saved query's parameter placeholder
      state.command = false;
      return "atom";
    }
    if (state.command && stream.match(/^\$[\w./-]+/)) {
      // $SavedQuery(p="v"): a parameterized saved query
      state.command = false;
      return "keyword";
    }
    if (stream.match("|")) {
      state.command = true;
      state.regexOk = false;
      return "operator";
    }
    if (stream.match(/^\d+(\.\d+)?([a-zA-Z]+)?/)) {
      state.command = false;
      state.regexOk = false;
      return "number";
    }
    if (stream.match(/^@[\w.]*/)) {
      state.command = false;
      state.regexOk = false;
      return "atom";
    }
    const word = stream.match(/^[A-Za-z_]\w*(\.\w+)*/);
    if (word) {
      const w = word[0];
      const lower = w.toLowerCase();
      if (state.command && COMMAND_SET.has(lower)) {
        state.command = false;
        state.regexOk = lower === "parse";
        return "keyword";
      }
      state.command = false;
      if (KEYWORD_SET.has(lower)) {
        state.regexOk = lower === "like" || lower === "in";
        return "operatorKeyword";
      }
      if (stream.match(/^\s*\(/, false)) {
        state.regexOk = false;
        return "function";
      }
      state.regexOk = false;
      return "propertyName";
    }
    if (stream.match(/^(=~|!=|<=|>=|[=<>+\-*/%^!])/)) {
      state.command = false;
      state.regexOk = true;
      return "operator";
    }
    if (stream.match(/^[(,[]/)) {
      state.regexOk = true;
      state.command = false;
      return "punctuation";
    }
    stream.next();
    state.regexOk = false;
    return "punctuation";
  },
  languageData: { commentTokens: { line: "#" } },
  tokenTable: { function: t.function(t.variableName), operatorKeyword: t.operatorKeyword },
});

const style = HighlightStyle.define([
  { tag: t.keyword, color: "#8a3ffc", fontWeight: "600" },
  { tag: t.operatorKeyword, color: "#8a3ffc" },
  { tag: t.string, color: "#0a7a3d" },
  { tag: t.regexp, color: "#b2540b" },
  { tag: t.number, color: "#1f5fbf" },
  { tag: t.comment, color: "#7b8794", fontStyle: "italic" },
  { tag: t.atom, color: "#a3136a" },
  { tag: t.function(t.variableName), color: "#0b6e99", fontWeight: "600" },
  { tag: t.propertyName, color: "#16191f" },
  { tag: t.operator, color: "#5f6b7a" },
]);

/** Completion: commands after a pipe (or at the start), else functions, keywords and fields. */
export function completionSource(fieldNames) {
  return (context) => {
    const word = context.matchBefore(/[@\w.`]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const before = context.state.doc.sliceString(0, word.from);
    const inComment = /#[^\n]*$/.test(before);
    if (inComment) return null;
    const atCommand = /(^|\|)\s*$/.test(before);
    const options = [];
    if (atCommand) {
      for (const [c, info] of Object.entries(COMMANDS)) options.push({ label: c, type: "keyword", info, boost: 2 });
    } else {
      for (const [f, info] of Object.entries(FUNCTIONS)) options.push({ label: f, type: "function", info, apply: f + "(" });
      for (const k of KEYWORDS) options.push({ label: k, type: "keyword" });
      for (const f of fieldNames()) options.push({ label: f, type: "property", boost: f.startsWith("@") ? 0 : 1 });
    }
    return { from: word.from, options, validFor: /^[@\w.]*$/ };
  };
}

export function logsInsightsSupport() {
  return [logsInsights, syntaxHighlighting(style)];
}
