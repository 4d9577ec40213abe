// 数据看板: the charts of /stats — a measure's months this year against last, the stations side by side, and
// the branch map coloured by the measure (boundaries from the org data, ECharts' geo component, no tiles).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  const picker = document.getElementById("stats-measure");
  if (!source || !picker || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const charts = {};
  document.querySelectorAll("[data-chart]").forEach((el) => {
    charts[el.dataset.chart] = window.echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", () => { if (!leaving) charts[el.dataset.chart].resize(); });
  });
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const query = (extra) => {
    const params = new URLSearchParams({ measure: picker.value, ...extra });
    if (data.station_code) params.set("station_code", data.station_code);
    return params;
  };
  // Leaving the page (a figure clicked) stops the charts: no redraw or resize runs on a page being unloaded.
  let leaving = false;
  window.addEventListener("pagehide", () => {
    leaving = true;
    Object.values(charts).forEach((chart) => chart.dispose());
  });
  const draw = async () => {
    const series = await (await fetch(`/api/v1/stats/series?${query({ year: data.year })}`)).json();
    if (leaving) return;
    charts.months.setOption({
      title: { text: series.station_level ? `${series.label}（本所口径）` : series.label, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      legend: { top: 0, right: 0 }, grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: months }, yAxis: { type: "value" },
      series: [{ name: `${series.year}`, type: "line", data: series.this },
               { name: `${series.year - 1}`, type: "line", lineStyle: { type: "dashed" }, data: series.last }],
    }, true);
    charts.stations.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0, right: 0 }, grid: { left: 48, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: series.stations.map((s) => s.code), axisLabel: { rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ name: "今年", type: "bar", data: series.stations.map((s) => s.this) },
               { name: "去年", type: "bar", data: series.stations.map((s) => s.last) }],
    }, true);
    const map = await (await fetch(`/api/v1/stats/map?${new URLSearchParams({ measure: picker.value })}`)).json();
    if (leaving) return;
    const codes = new Set(map.values.map((v) => v.code));
    const geo = { type: "FeatureCollection",
                  features: map.geojson.features.filter((f) => codes.has(f.properties.code))
                    .map((f) => ({ ...f, properties: { ...f.properties, name: f.properties.code } })) };
    window.echarts.registerMap("pingan-branch", geo);
    const values = map.values.filter((v) => v.value !== null).map((v) => v.value);
    charts.map.setOption({
      tooltip: { formatter: (p) => `${(map.values.find((v) => v.code === p.name) || {}).name || p.name}: ${p.value ?? "—"}` },
      visualMap: { min: Math.min(0, ...values), max: Math.max(1, ...values), left: 0, bottom: 0, calculable: true },
      series: [{ type: "map", map: "pingan-branch", roam: true, label: { show: false },
                 data: map.values.map((v) => ({ name: v.code, value: v.value })) }],
    }, true);
    charts.map.off("click");
    charts.map.on("click", (p) => {
      const area = map.values.find((v) => v.code === p.name);
      if (area && map.level === "station" && !map.station_level) window.location = `/stats/records?${query({ station_code: area.code })}`;
    });
  };
  picker.addEventListener("change", draw);
  draw();
});
