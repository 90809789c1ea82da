// Charts (Chart.js on a <canvas>) with an accessible data table beside each: the numbers a chart
// draws are also in the DOM (screen readers, tests).
import {
  Chart, BarController, LineController, BarElement, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler,
} from "chart.js";

Chart.register(BarController, LineController, BarElement, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = "#5f6b7a";

const PALETTE = ["#0972d3", "#e07941", "#2ea597", "#8a3ffc", "#c33d69", "#688ae8", "#ce8c00",
  "#16745f", "#9469d6", "#7d8998", "#b2540b", "#3f9d2f"];

/**
 * Draws into `box` (replacing what it held).
 * spec: {kind: "line"|"bar"|"stacked", labels: [x...], datasets: [{label, data, dashed?}],
 *        title, xTitle, yTitle}
 */
export function drawChart(box, spec) {
  destroy(box);
  box.replaceChildren();
  if (!spec.labels.length || !spec.datasets.length) {
    const p = document.createElement("p");
    p.className = "chart-empty";
    p.textContent = spec.empty ?? "No data in this range.";
    box.append(p);
    box.dataset.points = "0";
    return;
  }
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${spec.title}: ${spec.kind} chart of ${spec.datasets.length} series over ${spec.labels.length} points; the data table follows`);
  box.append(canvas);
  const stacked = spec.kind === "stacked";
  const integers = spec.datasets.every((d) => d.data.every((v) => v == null || Number.isInteger(v)));
  const type = spec.kind === "line" ? "line" : "bar";
  const datasets = spec.datasets.map((d, i) => {
    const color = d.color ?? PALETTE[i % PALETTE.length];
    return {
      label: d.label,
      data: d.data,
      type: d.dashed ? "line" : undefined,
      borderColor: color,
      backgroundColor: type === "line" && !d.dashed ? color + "22" : color + (d.dashed ? "00" : "cc"),
      borderWidth: d.dashed ? 1.5 : type === "line" ? 2 : 0,
      borderDash: d.dashed ? [6, 4] : undefined,
      pointRadius: type === "line" && spec.labels.length < 60 && !d.dashed ? 2.5 : 0,
      spanGaps: false,
      fill: false,
      stack: d.dashed ? "threshold" : stacked ? "all" : undefined,
      maxBarThickness: 48,
      tension: 0.15,
    };
  });
  box._chart = new Chart(canvas, {
    type,
    data: { labels: spec.labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: spec.datasets.length > 1, position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { enabled: true },
      },
      scales: {
        x: {
          stacked,
          grid: { display: false },
          ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 14 },
          title: { display: !!spec.xTitle, text: spec.xTitle },
        },
        y: {
          stacked,
          beginAtZero: true,
          grid: { color: "#edf0f3" },
          ticks: integers ? { precision: 0 } : {},
          title: { display: !!spec.yTitle, text: spec.yTitle },
        },
      },
    },
  });
  box.append(dataTable(spec));
  box.dataset.points = String(spec.labels.length);
  box.dataset.series = String(spec.datasets.length);
}

function dataTable(spec) {
  const wrap = document.createElement("div");
  wrap.className = "sr-only";
  const table = document.createElement("table");
  table.className = "chart-data";
  wrap.append(table);
  const cap = table.createCaption();
  cap.textContent = spec.title + " (data)";
  const head = table.createTHead().insertRow();
  for (const h of [spec.xTitle || "x", ...spec.datasets.map((d) => d.label)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  spec.labels.forEach((label, i) => {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = spec.keys ? spec.keys[i] : label;
    tr.append(th);
    for (const d of spec.datasets) tr.insertCell().textContent = d.data[i] == null ? "" : String(d.data[i]);
  });
  return wrap;
}

export function destroy(box) {
  if (box._chart) {
    box._chart.destroy();
    box._chart = null;
  }
}
