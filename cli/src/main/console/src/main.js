// The trailquery console: the Logs Insights experience over the query API of `./trailquery serve`
// (same origin). Automation hooks (data-testid names, window.trailquery) are a contract: keep them.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { autocompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter, diagnosticCount } from "@codemirror/lint";
import { logsInsightsSupport, completionSource, CLOUDTRAIL_FIELDS } from "./lang.js";
import { drawChart } from "./charts.js";
import * as time from "./time.js";

const $ = (id) => document.getElementById(id);
const TERMINAL = new Set(["Complete", "Failed", "Cancelled", "Timeout"]);
const HISTORY_KEY = "trailquery.history";
const STATE_KEY = "trailquery.console";
const DEFAULT_QUERY = "fields @timestamp, eventName, eventSource, sourceIPAddress, @message\n| sort @timestamp desc\n| limit 100";

// ---------------------------------------------------------------- API

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw Object.assign(new Error("the API did not answer (" + e.message + ")"), { status: 0 });
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = json?.error ?? json ?? {};
    const msg = err.message ?? err.Message ?? (text.slice(0, 300) || res.statusText);
    throw Object.assign(new Error(msg), { status: res.status, code: err.code, line: err.line, column: err.column });
  }
  return json;
}

const enc = encodeURIComponent;
const namePath = (name) => name.split("/").map(enc).join("/");

// ---------------------------------------------------------------- state

const saved = JSON.parse(localStorage.getItem(STATE_KEY) || "{}");
const state = {
  range: saved.range ?? { kind: "relative", key: "1h" },
  zone: saved.zone ?? "utc",
  chartKind: saved.chartKind ?? "line",
  run: null, // the current run
  fields: [],
  rows: [],
  statistics: null,
  sort: null, // {field, dir}
  discovered: new Map(), // field -> records having it
  discoveredOf: 0,
};
function persist() {
  localStorage.setItem(STATE_KEY, JSON.stringify({ range: state.range, zone: state.zone, chartKind: state.chartKind }));
}

// ---------------------------------------------------------------- editor

const fieldNames = () => {
  const names = new Set(state.discovered.keys());
  for (const f of CLOUDTRAIL_FIELDS) names.add(f);
  return [...names];
};

const editor = new EditorView({
  doc: saved.query ?? DEFAULT_QUERY,
  parent: $("editor"),
  extensions: [
    Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (runQuery(), true) }])),
    basicSetup,
    logsInsightsSupport(),
    autocompletion({ override: [completionSource(fieldNames)], activateOnTyping: true }),
    lintGutter(),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ "aria-labelledby": "editor-label", "aria-multiline": "true" }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) {
        if (diagnosticCount(u.state) > 0) setTimeout(() => editor.dispatch(setDiagnostics(editor.state, [])));
        localStorage.setItem(STATE_KEY, JSON.stringify({ ...JSON.parse(localStorage.getItem(STATE_KEY) || "{}"), query: u.state.doc.toString() }));
      }
    }),
  ],
});

function getQuery() {
  return editor.state.doc.toString();
}
function setQuery(text) {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
}

function markError(line, column, message) {
  const doc = editor.state.doc;
  if (!line || line < 1 || line > doc.lines) return;
  const l = doc.line(line);
  const from = Math.min(l.from + Math.max(column - 1, 0), l.to);
  const word = /^[\w@.`"'/]+/.exec(doc.sliceString(from, l.to));
  const to = Math.min(from + (word ? word[0].length : 1), doc.length);
  editor.dispatch(setDiagnostics(editor.state, [{ from, to: Math.max(to, from), severity: "error", message }]));
}

// ---------------------------------------------------------------- time range

const presetButtons = [...document.querySelectorAll("[data-range]")];
function renderRange() {
  const r = state.range;
  for (const b of presetButtons) {
    const on = r.kind === "relative" ? b.dataset.range === r.key : b.dataset.range === "custom";
    b.setAttribute("aria-checked", String(on));
    b.tabIndex = on ? 0 : -1;
  }
  document.querySelector(".time-range .custom").hidden = r.kind !== "absolute";
  $("range-zone").value = state.zone;
  if (r.kind === "absolute") {
    $("range-start").value = time.toInput(r.startMs, state.zone);
    $("range-end").value = time.toInput(r.endMs, state.zone);
  }
  const { startMs, endMs } = currentRange();
  $("range-summary").textContent = `${time.format(startMs, state.zone)} → ${time.format(endMs, state.zone)} ${state.zone === "utc" ? "UTC" : "local"}`;
}
function currentRange() {
  const r = state.range;
  if (r.kind === "absolute") return { startMs: r.startMs, endMs: r.endMs };
  const endMs = Date.now();
  return { startMs: endMs - time.RELATIVE[r.key], endMs };
}
for (const b of presetButtons) {
  b.addEventListener("click", () => {
    if (b.dataset.range === "custom") {
      const { startMs, endMs } = currentRange();
      state.range = { kind: "absolute", startMs: Math.floor(startMs / 1000) * 1000, endMs: Math.ceil(endMs / 1000) * 1000 };
    } else {
      state.range = { kind: "relative", key: b.dataset.range };
    }
    persist();
    renderRange();
  });
}
document.querySelector(".presets").addEventListener("keydown", (e) => {
  const i = presetButtons.indexOf(document.activeElement);
  if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
  const next = presetButtons[(i + (e.key === "ArrowRight" ? 1 : presetButtons.length - 1)) % presetButtons.length];
  next.focus();
  next.click();
  e.preventDefault();
});
function readInputs() {
  const s = time.fromInput($("range-start").value, state.zone);
  const e = time.fromInput($("range-end").value, state.zone);
  if (s != null && e != null) {
    state.range = { kind: "absolute", startMs: s, endMs: e };
    persist();
    renderRange();
  }
}
$("range-start").addEventListener("change", readInputs);
$("range-end").addEventListener("change", readInputs);
$("range-zone").addEventListener("change", () => {
  state.zone = $("range-zone").value;
  persist();
  renderRange();
  if (state.rows.length) renderCharts();
});

function setTimeRange(startIso, endIso) {
  const s = Date.parse(startIso);
  const e = Date.parse(endIso);
  if (Number.isNaN(s) || Number.isNaN(e)) throw new Error("setTimeRange needs ISO-8601 times");
  state.range = { kind: "absolute", startMs: s, endMs: e };
  persist();
  renderRange();
}

// ---------------------------------------------------------------- run / stop

function setStatus(status) {
  const el = $("status");
  el.textContent = status;
  el.className = "status s-" + status;
}

function showError(err) {
  const box = $("error");
  if (!err) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const where = err.line ? `line ${err.line}, column ${err.column}: ` : "";
  box.textContent = where + err.message + (err.code ? `  (${err.code})` : "");
  box.hidden = false;
  if (err.line) markError(err.line, err.column, err.message);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runQuery() {
  if (state.run && !state.run.done) await stopQuery();
  const queryString = getQuery();
  const { startMs, endMs } = currentRange();
  const startTime = Math.floor(startMs / 1000);
  // Both API ends are inclusive seconds; the console's end is exclusive, as the CLI's --end.
  const endTime = Math.max(startTime, Math.ceil(endMs / 1000) - 1);
  const run = { queryString, startMs, endMs, startTime, endTime, done: false, began: performance.now() };
  run.finished = new Promise((r) => (run.resolve = r));
  state.run = run;
  showError(null);
  $("warnings").hidden = true;
  editor.dispatch(setDiagnostics(editor.state, []));
  setStatus("Scheduled");
  $("run").disabled = true;
  $("stop").disabled = false;
  $("counts").hidden = false;
  $("records-matched").textContent = "0";
  $("records-scanned").textContent = "0";
  $("more-stats").textContent = "";
  state.fields = [];
  state.rows = [];
  state.statistics = null;
  renderTable();
  const entry = history.add({ queryString, range: state.range, zone: state.zone, at: Date.now() });
  const stats = time.isStats(queryString);
  run.stats = stats;
  run.period = stats ? null : time.histogramPeriod(endMs - startMs);
  prepareCharts(run);
  try {
    const r = await api("POST", "queries", { queryString, startTime, endTime });
    run.queryId = r.queryId;
  } catch (e) {
    finish(run, "Failed", entry);
    showError(e);
    $("counts").hidden = true;
    const box = run.stats ? $("chart") : $("histogram");
    drawChart(box, { kind: "bar", labels: [], datasets: [], title: "Chart", empty: "The query did not start." });
    return run.finished;
  }
  if (!stats && run.period) startHistogram(run);
  poll(run, entry);
  return run.finished;
}

async function poll(run, entry) {
  let delay = 150;
  let lastCount = -1;
  while (!run.done) {
    await sleep(delay);
    delay = Math.min(delay + 100, 600);
    if (run.done) break;
    let r;
    try {
      r = await api("GET", "queries/" + enc(run.queryId));
    } catch (e) {
      showError(e);
      finish(run, "Failed", entry);
      break;
    }
    if (state.run !== run) return;
    setStatus(r.status);
    state.statistics = r.statistics;
    renderStats(r, run);
    if (r.results.length !== lastCount || TERMINAL.has(r.status)) {
      lastCount = r.results.length;
      acceptResults(r.results);
      renderCharts();
    }
    if (r.warnings?.length) {
      $("warnings").textContent = r.warnings.join("\n");
      $("warnings").hidden = false;
    }
    if (TERMINAL.has(r.status)) {
      if (r.message && r.status !== "Complete") showError({ message: r.message });
      if (r.status === "Complete" && r.statistics.recordsScanned === 0 && !r.warnings?.length) {
        $("warnings").textContent = "No CloudTrail records in this time range: try a wider one (Custom for absolute dates).";
        $("warnings").hidden = false;
      }
      finish(run, r.status, entry, r.statistics);
    }
  }
}

function finish(run, status, entry, statistics) {
  if (run.done) return;
  run.done = true;
  setStatus(status);
  $("run").disabled = false;
  $("stop").disabled = true;
  history.update(entry, { status, matched: statistics?.recordsMatched });
  run.resolve(status);
}

async function stopQuery() {
  const run = state.run;
  if (!run || run.done) return;
  $("stop").disabled = true;
  const ids = [run.queryId, run.histogram?.queryId].filter(Boolean);
  await Promise.all(ids.map((id) => api("DELETE", "queries/" + enc(id)).catch(() => null)));
  if (!run.queryId) {
    finish(run, "Cancelled");
    return;
  }
  // The poll loop reports the final status (Cancelled, or Complete when it ended first).
  const timeout = sleep(5000).then(() => finish(run, "Cancelled"));
  await Promise.race([run.finished, timeout]);
}

function renderStats(r, run) {
  const s = r.statistics;
  $("records-matched").textContent = String(s.recordsMatched);
  $("records-scanned").textContent = String(s.recordsScanned);
  const parts = [time.bytes(s.bytesScanned) + " scanned", `${s.objectsScanned} objects`];
  if (s.objectsSkipped) parts.push(`${s.objectsSkipped} skipped`);
  if (!TERMINAL.has(r.status) && r.progress?.batches) parts.push(`batch ${r.progress.batchesDone}/${r.progress.batches}`);
  parts.push(((performance.now() - run.began) / 1000).toFixed(1) + " s");
  $("more-stats").textContent = "· " + parts.join(" · ");
}

// ---------------------------------------------------------------- results

function acceptResults(results) {
  const fields = [];
  const rows = [];
  for (const cells of results) {
    const row = {};
    let prev = -1;
    for (const c of cells) {
      row[c.field] = c.value;
      let i = fields.indexOf(c.field);
      if (i < 0) {
        fields.splice(prev + 1, 0, c.field);
        i = prev + 1;
      }
      prev = i;
    }
    rows.push(row);
  }
  state.fields = fields;
  state.rows = rows;
  discover(rows);
  renderTable();
}

const isNum = (v) => v !== "" && v != null && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v);

function sortedRows() {
  if (!state.sort) return state.rows;
  const { field, dir } = state.sort;
  const k = dir === "asc" ? 1 : -1;
  return [...state.rows].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (x == null) return y == null ? 0 : 1;
    if (y == null) return -1;
    if (isNum(x) && isNum(y)) return (Number(x) - Number(y)) * k;
    return x < y ? -k : x > y ? k : 0;
  });
}

function renderTable() {
  const table = $("results");
  const head = document.createElement("tr");
  for (const f of state.fields) {
    const th = document.createElement("th");
    th.scope = "col";
    if (state.sort?.field === f) th.setAttribute("aria-sort", state.sort.dir === "asc" ? "ascending" : "descending");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = f;
    b.title = "Sort by " + f;
    b.addEventListener("click", () => {
      state.sort = state.sort?.field === f && state.sort.dir === "asc" ? { field: f, dir: "desc" } : { field: f, dir: "asc" };
      renderTable();
    });
    th.append(b);
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  const body = document.createElement("tbody");
  const rows = sortedRows();
  const numeric = new Set(state.fields.filter((f) => rows.every((r) => r[f] == null || isNum(r[f]))));
  rows.forEach((row, i) => {
    const tr = document.createElement("tr");
    tr.tabIndex = i === 0 ? 0 : -1;
    tr.setAttribute("aria-selected", "false");
    tr._row = row;
    for (const f of state.fields) {
      const td = document.createElement("td");
      td.textContent = row[f] ?? "";
      if (numeric.has(f)) td.className = "num";
      tr.append(td);
    }
    body.append(tr);
  });
  table.tBodies[0].replaceWith(body);
  body.addEventListener("click", (e) => {
    const tr = e.target.closest("tr");
    if (tr) openRecord(tr);
  });
  body.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr");
    if (!tr) return;
    if (e.key === "Enter" || e.key === " ") {
      openRecord(tr);
      e.preventDefault();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const next = e.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
      if (next) {
        tr.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      }
      e.preventDefault();
    }
  });
  const n = state.rows.length;
  $("row-count").textContent = n ? `(${n} row${n === 1 ? "" : "s"})` : "";
  $("export-csv").disabled = $("export-json").disabled = n === 0;
}

let openRow = null;
function openRecord(tr) {
  for (const r of tr.parentElement.querySelectorAll('tr[aria-selected="true"]')) r.setAttribute("aria-selected", "false");
  tr.setAttribute("aria-selected", "true");
  for (const r of tr.parentElement.querySelectorAll("tr[tabindex='0']")) r.tabIndex = -1;
  tr.tabIndex = 0;
  openRow = tr;
  const row = tr._row;
  const dl = $("detail-fields");
  dl.replaceChildren();
  for (const f of state.fields) {
    if (row[f] == null || f === "@message") continue;
    const dt = document.createElement("dt");
    dt.textContent = f;
    const dd = document.createElement("dd");
    dd.textContent = row[f];
    dl.append(dt, dd);
  }
  const msg = $("detail-message");
  if (row["@message"] != null) {
    msg.textContent = pretty(row["@message"]);
    msg.hidden = false;
  } else {
    msg.hidden = true;
  }
  $("copy-ptr").hidden = row["@ptr"] == null;
  $("detail").hidden = false;
  $("detail-close").focus();
}
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
function closeRecord() {
  $("detail").hidden = true;
  if (openRow && openRow.isConnected) openRow.focus();
}
$("detail-close").addEventListener("click", closeRecord);
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && !$("detail").hidden) closeRecord();
});
$("copy-ptr").addEventListener("click", async () => {
  const ptr = openRow?._row["@ptr"];
  if (ptr == null) return;
  await copyText(ptr);
  toast("@ptr copied — `./trailquery record " + ptr.slice(0, 24) + "…` prints the record");
});

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
}

let toastTimer;
function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 2600);
}

// ---------------------------------------------------------------- export

function download(name, type, text) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
const stamp = () => new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
export function toCsv(fields, rows) {
  const cell = (v) => (v == null ? "" : /[",\r\n]/.test(v) ? '"' + v.replaceAll('"', '""') + '"' : v);
  return [fields.map(cell).join(","), ...rows.map((r) => fields.map((f) => cell(r[f])).join(","))].join("\r\n") + "\r\n";
}
/** The results as the export buttons save them: CSV (RFC 4180, as `--format csv`) or JSON. */
function exportText(kind) {
  if (kind === "csv") return toCsv(state.fields, sortedRows());
  return JSON.stringify({ fields: state.fields, rows: sortedRows(), statistics: state.statistics ?? {} }, null, 2) + "\n";
}
$("export-csv").addEventListener("click", () => download(`trailquery-${stamp()}.csv`, "text/csv", exportText("csv")));
$("export-json").addEventListener("click", () => download(`trailquery-${stamp()}.json`, "application/json", exportText("json")));

// ---------------------------------------------------------------- discovered fields

function discover(rows) {
  const counts = new Map();
  let n = 0;
  for (const row of rows) {
    n++;
    const seen = new Set(Object.keys(row));
    if (row["@message"] != null) {
      try {
        walk(JSON.parse(row["@message"]), "", seen, 0);
      } catch {
        // not JSON
      }
    }
    for (const f of seen) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  if (!n) return;
  state.discovered = counts;
  state.discoveredOf = n;
  renderFields();
}
function walk(v, prefix, out, depth) {
  if (v == null || typeof v !== "object" || depth > 4) return;
  for (const [k, x] of Object.entries(v)) {
    const name = prefix + k;
    if (x != null && typeof x === "object" && depth < 4 && Object.keys(x).length) walk(x, name + ".", out, depth + 1);
    else out.add(name);
    if (out.size > 2000) return;
  }
}
function renderFields() {
  const ul = $("fields-list");
  ul.replaceChildren();
  const entries = [...state.discovered.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [name, count] of entries.slice(0, 400)) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "item-main";
    b.textContent = name;
    b.title = "Insert " + name;
    b.addEventListener("click", () => {
      const sel = editor.state.selection.main;
      editor.dispatch({ changes: { from: sel.from, to: sel.to, insert: name }, selection: { anchor: sel.from + name.length } });
      editor.focus();
    });
    const pct = document.createElement("span");
    pct.className = "pct";
    pct.textContent = Math.round((100 * count) / state.discoveredOf) + "%";
    li.append(b, pct);
    ul.append(li);
  }
}

// ---------------------------------------------------------------- charts

const chartButtons = [...document.querySelectorAll("#chart-kinds [data-kind]")];
for (const b of chartButtons) {
  b.addEventListener("click", () => {
    state.chartKind = b.dataset.kind;
    persist();
    renderCharts();
  });
}

function prepareCharts(run) {
  $("histogram").hidden = run.stats;
  $("chart").hidden = !run.stats;
  $("chart-kinds").hidden = true;
  $("viz-title").textContent = run.stats ? "Chart" : "Histogram";
  if (!run.stats) drawChart($("histogram"), { kind: "bar", labels: [], datasets: [], title: "Histogram", empty: "Counting matched records…" });
  else drawChart($("chart"), { kind: "bar", labels: [], datasets: [], title: "Chart", empty: "Waiting for results…" });
}

function renderCharts() {
  const run = state.run;
  if (!run) return;
  if (run.stats) {
    const spec = time.statsChart(state.fields, state.rows, run.queryString, state.chartKind, state.zone);
    $("chart-kinds").hidden = !spec.binned;
    for (const b of chartButtons) b.setAttribute("aria-checked", String(b.dataset.kind === spec.kind));
    drawChart($("chart"), spec);
  }
}

async function startHistogram(run) {
  const h = { queryId: null };
  run.histogram = h;
  const queryString = time.histogramQuery(run.queryString, run.period);
  try {
    h.queryId = (await api("POST", "queries", { queryString, startTime: run.startTime, endTime: run.endTime })).queryId;
  } catch {
    drawChart($("histogram"), { kind: "bar", labels: [], datasets: [], title: "Histogram", empty: "No histogram for this query." });
    return;
  }
  let delay = 200;
  for (;;) {
    await sleep(delay);
    delay = Math.min(delay + 150, 800);
    let r;
    try {
      r = await api("GET", "queries/" + enc(h.queryId));
    } catch {
      return;
    }
    if (state.run !== run) return;
    const spec = time.histogramChart(r.results, run, state.zone);
    drawChart($("histogram"), spec);
    if (TERMINAL.has(r.status) || (run.done && r.status !== "Running" && r.status !== "Scheduled")) return;
  }
}

// ---------------------------------------------------------------- history

const history = {
  list() {
    try {
      return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    } catch {
      return [];
    }
  },
  save(list) {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, 100)));
    renderHistory();
  },
  add(e) {
    const list = this.list();
    list.unshift(e);
    this.save(list);
    return e;
  },
  update(e, patch) {
    if (!e) return;
    const list = this.list();
    const i = list.findIndex((x) => x.at === e.at && x.queryString === e.queryString);
    if (i >= 0) {
      list[i] = { ...list[i], ...patch };
      this.save(list);
    }
  },
};
function renderHistory() {
  const ul = $("history-list");
  ul.replaceChildren();
  const list = history.list();
  if (!list.length) ul.append(emptyItem("Queries you run appear here (kept in this browser)."));
  for (const e of list) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "item-main";
    const when = new Date(e.at);
    const range = e.range?.kind === "relative" ? "last " + e.range.key : "custom range";
    b.innerHTML = `<span class="name"></span><span class="q"></span>`;
    b.querySelector(".name").textContent = `${when.toLocaleString()} · ${e.status ?? "…"}${e.matched != null ? " · " + e.matched + " matched" : ""} · ${range}`;
    b.querySelector(".q").textContent = e.queryString.replace(/\s+/g, " ");
    b.title = e.queryString;
    b.addEventListener("click", () => {
      setQuery(e.queryString);
      if (e.range) {
        state.range = e.range;
        if (e.zone) state.zone = e.zone;
        persist();
        renderRange();
      }
      editor.focus();
    });
    li.append(b);
    ul.append(li);
  }
}
$("history-clear").addEventListener("click", () => history.save([]));

function emptyItem(text) {
  const li = document.createElement("li");
  li.className = "hint";
  li.textContent = text;
  return li;
}

// ---------------------------------------------------------------- saved queries

let savedQueries = [];
async function loadSaved() {
  try {
    savedQueries = (await api("GET", "saved-queries")).savedQueries ?? [];
  } catch (e) {
    savedQueries = [];
    $("saved-list").replaceChildren(emptyItem("Saved queries unavailable: " + e.message));
    return;
  }
  renderSaved();
}
function renderSaved() {
  const ul = $("saved-list");
  ul.replaceChildren();
  const filter = $("saved-filter").value.trim().toLowerCase();
  const shown = savedQueries.filter(
    (q) => !filter || q.name.toLowerCase().includes(filter) || (q.description ?? "").toLowerCase().includes(filter),
  );
  if (!shown.length) ul.append(emptyItem(filter ? "No saved query matches." : "No saved queries yet."));
  for (const q of shown) {
    const li = document.createElement("li");
    li.dataset.name = q.name;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "item-main";
    b.innerHTML = `<span class="name"></span><span class="desc"></span>`;
    b.querySelector(".name").textContent = q.name;
    if (q.builtin) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = "pack";
      b.querySelector(".name").append(tag);
    }
    b.querySelector(".desc").textContent = q.description ?? q.queryString.replace(/\s+/g, " ");
    b.title = q.queryString;
    b.setAttribute("aria-label", `Open saved query ${q.name}`);
    // Parameterized saved queries ({{p}} placeholders) run as $Name(p="v", ...).
    const params = Array.isArray(q.parameters) ? q.parameters : [];
    const inputs = new Map();
    const text = () => (params.length ? invocation(q.name, params, inputs) : q.queryString);
    b.addEventListener("click", () => {
      setQuery(text());
      editor.focus();
    });
    const run = document.createElement("button");
    run.type = "button";
    run.textContent = "Run";
    run.dataset.action = "run-saved";
    run.setAttribute("aria-label", `Run saved query ${q.name}`);
    run.addEventListener("click", () => {
      setQuery(text());
      runQuery();
    });
    li.append(b, run);
    if (params.length) {
      const box = document.createElement("div");
      box.className = "params";
      for (const p of params) {
        const label = document.createElement("label");
        label.textContent = p.name + " ";
        const input = document.createElement("input");
        input.value = p.defaultValue ?? "";
        input.placeholder = p.description ?? (p.defaultValue == null ? "required" : "");
        input.dataset.param = p.name;
        if (p.description) input.title = p.description;
        label.append(input);
        box.append(label);
        inputs.set(p.name, input);
      }
      li.append(box);
    }
    if (!q.builtin) {
      const del = document.createElement("button");
      del.type = "button";
      del.textContent = "✕";
      del.setAttribute("aria-label", `Delete saved query ${q.name}`);
      del.addEventListener("click", async () => {
        if (!confirm(`Delete the saved query "${q.name}"?`)) return;
        try {
          await api("DELETE", "saved-queries/" + namePath(q.name));
          toast(`Deleted ${q.name}`);
        } catch (e) {
          toast(e.message);
        }
        loadSaved();
      });
      li.append(del);
    }
    ul.append(li);
  }
}
function invocation(name, params, inputs) {
  const quote = (v) => '"' + v.replaceAll("\\", "\\\\").replaceAll('"', '\\"') + '"';
  const args = params
    .filter((p) => inputs.get(p.name).value !== "")
    .map((p) => `${p.name}=${quote(inputs.get(p.name).value)}`);
  return `$${name}(${args.join(", ")})`;
}
$("saved-filter").addEventListener("input", renderSaved);
$("save").addEventListener("click", () => {
  $("save-form").hidden = false;
  $("save-result").textContent = "";
  $("save-name").focus();
});
$("save-cancel").addEventListener("click", () => ($("save-form").hidden = true));
$("save-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = $("save-name").value.trim();
  const description = $("save-description").value.trim();
  try {
    const queryString = getQuery();
    // {{p}} placeholders make a parameterized saved query (run as $Name(p="v")).
    const names = [...new Set([...queryString.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((m) => m[1]))];
    await api("PUT", "saved-queries/" + namePath(name), {
      queryString,
      ...(description ? { description } : {}),
      ...(names.length ? { parameters: names.map((n) => ({ name: n })) } : {}),
    });
    $("save-form").hidden = true;
    toast(`Saved ${name}`);
    loadSaved();
  } catch (err) {
    $("save-result").textContent = (err.line ? `line ${err.line}, column ${err.column}: ` : "") + err.message;
    if (err.line) markError(err.line, err.column, err.message);
  }
});

// ---------------------------------------------------------------- side tabs, views

const sideTabs = [...document.querySelectorAll('.side [role="tab"]')];
function selectTab(tab) {
  for (const t of sideTabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
}
for (const t of sideTabs) {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const i = sideTabs.indexOf(t);
    const next = sideTabs[(i + (e.key === "ArrowRight" ? 1 : sideTabs.length - 1)) % sideTabs.length];
    selectTab(next);
    next.focus();
  });
}

const viewTabs = [...document.querySelectorAll(".view-tab")];
function showView(name) {
  for (const t of viewTabs) {
    if (t.dataset.view === name) t.setAttribute("aria-current", "page");
    else t.removeAttribute("aria-current");
  }
  $("view-query").hidden = name !== "query";
  $("view-subs").hidden = name !== "subs";
  if (name === "subs") subs.load();
  if (location.hash !== "#" + name) history_replace("#" + name);
}
const history_replace = (h) => window.history.replaceState(null, "", h);
for (const t of viewTabs) t.addEventListener("click", () => showView(t.dataset.view));

$("run").addEventListener("click", () => runQuery());
$("stop").addEventListener("click", () => stopQuery());

// ---------------------------------------------------------------- subscriptions

const subs = {
  list: [],
  alarms: new Map(),
  current: null,
  kind: "line",
  async load() {
    $("subs-error").hidden = true;
    try {
      const [s, a] = await Promise.all([api("GET", "subscriptions"), api("GET", "alarms").catch(() => ({ alarms: [] }))]);
      this.list = s.subscriptions ?? [];
      this.alarms = new Map((a.alarms ?? []).map((x) => [x.subscription, x]));
    } catch (e) {
      this.list = [];
      $("subs-error").textContent = e.message;
      $("subs-error").hidden = false;
    }
    this.render();
    if (this.current && this.list.some((s) => s.name === this.current)) this.open(this.current);
  },
  render() {
    const ul = $("subs-list");
    ul.replaceChildren();
    if (!this.list.length && $("subs-error").hidden) ul.append(emptyItem("No subscriptions yet: ./trailquery subscribe NAME QUERY, or PUT /subscriptions/NAME."));
    for (const s of this.list) {
      const li = document.createElement("li");
      li.dataset.name = s.name;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "item-main";
      if (s.name === this.current) b.setAttribute("aria-current", "true");
      b.innerHTML = `<span class="name"></span><span class="q"></span>`;
      b.querySelector(".name").textContent = s.name;
      const alarm = this.alarms.get(s.name);
      const badge = document.createElement("span");
      const st = alarm?.state?.value;
      badge.className = "state state-" + (st ?? "none");
      badge.textContent = alarm ? st ?? "no state" : "no alarm";
      b.querySelector(".name").append(" ", badge);
      b.querySelector(".q").textContent = `every ${s.bin} · ${s.type ?? "query"} · ${(s.queryString ?? "").replace(/\s+/g, " ")}`;
      b.addEventListener("click", () => this.open(s.name));
      li.append(b);
      ul.append(li);
    }
  },
  async open(name) {
    this.current = name;
    for (const b of document.querySelectorAll("#subs-list .item-main")) {
      if (b.parentElement.dataset.name === name) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    }
    const s = this.list.find((x) => x.name === name);
    if (!s) return;
    $("sub-detail").hidden = false;
    $("sub-title").textContent = name;
    $("sub-query").textContent = s.queryString ?? "";
    const alarm = this.alarms.get(name);
    const box = $("sub-alarm");
    box.replaceChildren();
    if (alarm) {
      const st = alarm.state?.value ?? "INSUFFICIENT_DATA";
      const badge = document.createElement("span");
      badge.className = "state state-" + st;
      badge.textContent = st;
      box.append("Alarm: ", badge, ` when ${alarm.condition ?? `${alarm.column} ${alarm.comparison} ${alarm.threshold}`}`);
      if (alarm.state?.bin) box.append(` · last judged bin ${alarm.state.bin}`);
      if (alarm.description) box.append(` · ${alarm.description}`);
    } else {
      box.textContent = "No alarm on this subscription.";
    }
    const range = $("sub-range").value;
    const q = new URLSearchParams({ granularity: "bin" });
    if (range !== "all") {
      const now = Math.floor(Date.now() / 1000);
      q.set("startTime", String(now - time.RELATIVE[range] / 1000));
      q.set("endTime", String(now));
    }
    let r;
    try {
      r = await api("GET", `subscriptions/${namePath(name)}/results?${q}`);
    } catch (e) {
      drawChart($("sub-chart"), { kind: "bar", labels: [], datasets: [], title: name, empty: e.message });
      return;
    }
    if (this.current !== name) return;
    const spec = time.subscriptionChart(r, s, alarm, this.kind, state.zone);
    for (const b of document.querySelectorAll("#sub-chart-kinds [data-kind]")) b.setAttribute("aria-checked", String(b.dataset.kind === this.kind));
    drawChart($("sub-chart"), spec);
    const bins = r.bins ?? [];
    $("sub-summary").textContent = `${bins.length} bin${bins.length === 1 ? "" : "s"} of ${r.bin}; ${r.statistics?.recordsMatched ?? 0} records matched of ${r.statistics?.recordsScanned ?? 0} scanned.`;
  },
};
for (const b of document.querySelectorAll("#sub-chart-kinds [data-kind]")) {
  b.addEventListener("click", () => {
    subs.kind = b.dataset.kind;
    if (subs.current) subs.open(subs.current);
  });
}
$("sub-range").addEventListener("change", () => subs.current && subs.open(subs.current));
$("subs-refresh").addEventListener("click", () => subs.load());
$("sub-open").addEventListener("click", () => {
  const s = subs.list.find((x) => x.name === subs.current);
  if (!s) return;
  setQuery(s.queryString ?? "");
  showView("query");
  editor.focus();
});

// ---------------------------------------------------------------- start

renderRange();
renderTable();
renderHistory();
renderFields();
loadSaved();
showView(location.hash === "#subs" ? "subs" : "query");
$("histogram").hidden = false;
drawChart($("histogram"), { kind: "bar", labels: [], datasets: [], title: "Histogram", empty: "Run a query to see matched records over time." });

/** The page object for automation (keep stable). */
window.trailquery = {
  setQuery,
  getQuery,
  setTimeRange,
  run: () => runQuery(),
  stop: () => stopQuery(),
  showView,
  rows: () => state.rows.map((r) => ({ ...r })),
  exportCsv: () => exportText("csv"),
  exportJson: () => exportText("json"),
  fields: () => [...state.fields],
};
