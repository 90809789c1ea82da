// Times, periods and the chart specs built from query results.

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
export const RELATIVE = { "5m": 5 * M, "30m": 30 * M, "1h": H, "3h": 3 * H, "12h": 12 * H, "1d": D, "1w": 7 * D, "30d": 30 * D };

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** `yyyy-MM-ddTHH:mm:ss` for a datetime-local input, in UTC or the browser's zone. */
export function toInput(ms, zone) {
  const d = new Date(ms);
  if (zone === "utc") return d.toISOString().slice(0, 19);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
export function fromInput(v, zone) {
  if (!v) return null;
  const full = v.length === 16 ? v + ":00" : v;
  const ms = zone === "utc" ? Date.parse(full + "Z") : new Date(full).getTime();
  return Number.isNaN(ms) ? null : ms;
}
export function format(ms, zone) {
  return toInput(ms, zone).replace("T", " ");
}
export function bytes(n) {
  if (n == null) return "0 B";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return (i ? n.toFixed(1) : String(n)) + " " + u[i];
}

/** The query without comments, strings and regexes (for looking at its commands). */
function skeleton(q) {
  return q
    .replace(/#[^\n]*/g, "")
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}
export function isStats(q) {
  return /(^|\|)\s*stats\b/i.test(skeleton(q));
}

// ---- periods: `5m`, `1h`, `1mo` ... as the language reads them

const UNITS = [
  [/^(ms|msec|millisecond)s?$/, "ms", 1],
  [/^(s|sec|second)s?$/, "s", S],
  [/^(m|min|minute)s?$/, "m", M],
  [/^(h|hr|hour)s?$/, "h", H],
  [/^(d|day)s?$/, "d", D],
  [/^(w|week)s?$/, "w", 7 * D],
  [/^(mo|mon|month)s?$/, "mo", 0],
  [/^(q|qtr|quarter)s?$/, "q", 0],
  [/^(y|yr|year)s?$/, "y", 0],
];
export function parsePeriod(text) {
  const m = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(text ?? "");
  if (!m) return null;
  const n = Number(m[1]);
  for (const [re, unit, ms] of UNITS) if (re.test(m[2].toLowerCase())) return { n, unit, ms: ms * n };
  return null;
}
/** The start of the bin after `t` (calendar units step by months). */
export function nextBin(t, p) {
  if (p.ms) return t + p.ms;
  const d = new Date(t);
  const months = p.unit === "mo" ? p.n : p.unit === "q" ? 3 * p.n : 12 * p.n;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

const HISTOGRAM_PERIODS = ["1s", "5s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "3h", "6h", "12h", "1d", "1w", "1mo", "1y"];
/** A histogram period giving at most ~100 bars over the range. */
export function histogramPeriod(rangeMs) {
  for (const p of HISTOGRAM_PERIODS) {
    const pp = parsePeriod(p);
    const ms = pp.ms || (pp.unit === "mo" ? 30 * D : 365 * D);
    if (rangeMs / ms <= 100) return p;
  }
  return "1y";
}
/**
 * The query counting matched records per bin: the user's query (its trailing sort, limit, head
 * and display dropped: the histogram counts every matched record, as Logs Insights draws it) and
 * a stats by bin().
 */
export function histogramQuery(q, period) {
  let base = q.replace(/\s+$/, "");
  for (;;) {
    const cut = base.replace(/\|\s*(sort|limit|head|display)\b[^|"'`/#\n]*(\n\s*)?$/i, "").replace(/\s+$/, "");
    if (cut === base) break;
    base = cut;
  }
  return `${base}\n| stats count(*) as records by bin(${period}) as histogramBin`;
}

const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const tsMillis = (v) => Date.parse(v.replace(" ", "T") + "Z");
function label(ms, p, zone) {
  const full = format(ms, zone);
  if (!p) return full.slice(0, 16);
  if (p.unit === "y") return full.slice(0, 4);
  if (p.unit === "mo" || p.unit === "q") return full.slice(0, 7);
  if (p.ms >= D) return full.slice(0, 10);
  if (p.ms >= M) return full.slice(5, 16);
  return full.slice(11, 19);
}
/** Every bin start from `from` to `to` (both included), at most 2,000. */
function fill(from, to, p, present) {
  if (!p) return [...present].sort((a, b) => a - b);
  const out = [];
  for (let t = from; t <= to && out.length < 2000; t = nextBin(t, p)) out.push(t);
  for (const t of present) if (!out.includes(t)) out.push(t);
  return out.sort((a, b) => a - b);
}

export function histogramChart(results, run, zone) {
  const p = parsePeriod(run.period);
  const counts = new Map();
  for (const cells of results) {
    const row = Object.fromEntries(cells.map((c) => [c.field, c.value]));
    if (row.histogramBin) counts.set(tsMillis(row.histogramBin), Number(row.records));
  }
  // Bins are aligned by the engine; walk back from one it returned (or the range start).
  let anchor = counts.size ? Math.min(...counts.keys()) : run.startMs;
  if (p.ms) anchor -= Math.ceil((anchor - run.startMs) / p.ms) * p.ms;
  const starts = counts.size ? fill(anchor, run.endMs - 1, p, counts.keys()) : [];
  return {
    kind: "bar",
    title: "Matched records over time",
    labels: starts.map((t) => label(t, p, zone)),
    keys: starts.map((t) => format(t, zone)),
    datasets: [{ label: "records", data: starts.map((t) => counts.get(t) ?? 0), color: "#0972d3" }],
    xTitle: `bin(${run.period}) ${zone === "utc" ? "UTC" : "local"}`,
    empty: "No matched records in this range.",
  };
}

/** Columns of a stats result: its bin column (if any), numeric columns and group keys. */
function columns(fields, rows, q) {
  const isNum = (v) => v !== "" && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v);
  const hasBin = /\bbin\s*\(/i.test(skeleton(q));
  const bin = hasBin
    ? fields.find((f) => rows.length && rows.every((r) => r[f] == null || TS.test(r[f])) && rows.some((r) => r[f] != null))
    : undefined;
  const numeric = fields.filter((f) => f !== bin && rows.some((r) => r[f] != null) && rows.every((r) => r[f] == null || isNum(r[f])));
  const keys = fields.filter((f) => f !== bin && !numeric.includes(f));
  return { bin, numeric, keys };
}
/** Names of count and sum columns (a missing bin is 0 for them). */
function additive(q, numeric) {
  const names = new Set(numeric.filter((f) => /^(count|count_distinct|sum)\s*\(/i.test(f)));
  const re = /\b(count|count_distinct|sum)\s*\([^)]*\)\s+as\s+(`[^`]+`|[\w.@]+)/gi;
  let m;
  while ((m = re.exec(q))) names.add(m[2].replace(/`/g, ""));
  return names;
}

const MAX_SERIES = 12;
function series(rows, bin, numeric, keys, xs, additiveCols) {
  const byName = new Map();
  for (const r of rows) {
    const key = keys.map((k) => r[k] ?? "").join(" · ");
    for (const col of numeric) {
      if (r[col] == null) continue;
      const name = keys.length ? (numeric.length > 1 ? `${key} · ${col}` : key || "(none)") : col;
      if (!byName.has(name)) byName.set(name, { label: name, col, values: new Map(), total: 0 });
      const s = byName.get(name);
      const x = bin ? tsMillis(r[bin]) : key;
      s.values.set(x, Number(r[col]));
      s.total += Math.abs(Number(r[col]));
    }
  }
  let list = [...byName.values()].sort((a, b) => b.total - a.total);
  if (list.length > MAX_SERIES) {
    const other = { label: `other (${list.length - MAX_SERIES + 1} series)`, col: list[0].col, values: new Map(), total: 0 };
    for (const s of list.slice(MAX_SERIES - 1)) for (const [x, v] of s.values) other.values.set(x, (other.values.get(x) ?? 0) + v);
    list = [...list.slice(0, MAX_SERIES - 1), other];
  }
  return list.map((s) => ({
    label: s.label,
    data: xs.map((x) => s.values.get(x) ?? (additiveCols.has(s.col) ? 0 : null)),
  }));
}

/** The chart for a stats result: by bin() → line/bar/stacked over time; else a bar per group. */
export function statsChart(fields, rows, q, kind, zone) {
  const { bin, numeric, keys } = columns(fields, rows, q);
  if (!numeric.length) {
    return { kind: "bar", labels: [], datasets: [], title: "Chart", empty: "Nothing to chart: the result has no numeric column.", binned: !!bin };
  }
  if (bin) {
    const m = /\bbin\s*\(\s*([^)]*)\)/i.exec(skeleton(q));
    const p = m ? parsePeriod(m[1]) : null;
    const present = new Set(rows.filter((r) => r[bin] != null).map((r) => tsMillis(r[bin])));
    const xs = present.size ? fill(Math.min(...present), Math.max(...present), p, present) : [];
    return {
      kind,
      binned: true,
      title: "Chart",
      labels: xs.map((t) => label(t, p, zone)),
      keys: xs.map((t) => format(t, zone)),
      datasets: series(rows, bin, numeric, keys, xs, additive(q, numeric)),
      xTitle: `${bin} ${zone === "utc" ? "UTC" : "local"}`,
    };
  }
  const shown = rows.slice(0, 50);
  const labels = shown.map((r) => (keys.length ? keys.map((k) => r[k] ?? "").join(" · ") : "all"));
  return {
    kind: "bar",
    binned: false,
    title: "Chart",
    labels,
    datasets: numeric.map((col) => ({ label: col, data: shown.map((r) => (r[col] == null ? null : Number(r[col]))) })),
    xTitle: keys.join(" · "),
    empty: "No rows.",
  };
}

/** A subscription's bins as a chart: its stats columns per bin, or records matched per bin. */
export function subscriptionChart(r, sub, alarm, kind, zone) {
  const bins = [...(r.bins ?? [])].sort((a, b) => a.startTime - b.startTime);
  const p = parsePeriod(r.bin ?? sub.bin);
  const starts = bins.map((b) => b.startTime * 1000);
  const xs = starts.length ? fill(starts[0], starts[starts.length - 1], p, starts) : [];
  const base = {
    kind,
    title: `${sub.name} per bin`,
    labels: xs.map((t) => label(t, p, zone)),
    keys: xs.map((t) => format(t, zone)),
    xTitle: `bin (${r.bin ?? sub.bin}) ${zone === "utc" ? "UTC" : "local"}`,
    empty: "No bins in this range yet.",
  };
  let datasets;
  if (sub.kind === "stats") {
    const rows = [];
    const fields = [];
    for (const b of bins) {
      for (const cells of b.results ?? []) {
        const row = { __bin: b.bin };
        for (const c of cells) {
          row[c.field] = c.value;
          if (!fields.includes(c.field)) fields.push(c.field);
        }
        rows.push(row);
      }
    }
    const { numeric, keys } = columns(fields, rows, "");
    const q = sub.queryString ?? "";
    datasets = series(rows, "__bin", numeric, keys.filter((k) => k !== "__bin"), xs, new Set([...additive(q, numeric), ...numeric]));
  } else {
    const byStart = new Map(bins.map((b) => [b.startTime * 1000, b.statistics?.recordsMatched ?? 0]));
    datasets = [{ label: "records matched", data: xs.map((t) => byStart.get(t) ?? 0) }];
  }
  if (alarm && datasets.length && xs.length) {
    datasets.push({ label: `alarm: ${alarm.condition ?? alarm.column + " " + alarm.comparison + " " + alarm.threshold}`, data: xs.map(() => Number(alarm.threshold)), dashed: true, color: "#c0392b" });
  }
  return { ...base, datasets };
}
