// 网格统计 charts (ECharts from npm, served at /vendor): reports and handed calls by month, reports by category.
"use strict";

(() => {
  const holder = document.getElementById("grid-figures");
  if (!holder || !window.echarts) return;
  const f = JSON.parse(holder.dataset.figures);
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const draw = (name, option) => {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (el) echarts.init(el).setOption(option);
  };
  draw("months", {
    tooltip: { trigger: "axis" }, legend: { data: ["网格上报", "分流警情"] },
    xAxis: { type: "category", data: months }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "网格上报", type: "bar", data: f.by_month },
             { name: "分流警情", type: "line", data: f.calls_by_month }],
  });
  const categories = Object.entries(f.by_category).sort((a, b) => b[1] - a[1]);
  draw("categories", {
    tooltip: {}, xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: categories.map(([code]) => f.category_labels[code] || code) },
    series: [{ type: "bar", data: categories.map(([, n]) => n) }],
  });
})();
