// 数据看板: the charts of /stats — a measure's months this year against last, the stations side by side, and
// the branch map coloured by the measure (boundaries from the org data, ECharts' geo component, no tiles).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  const picker = document.getElementById("stats-measure");
  if (!source || !picker || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const charts = {};
  // Leaving the page (a figure clicked) stops the charts: no redraw or resize runs on a page being unloaded.
  let leaving = false;
  // A chart follows its box (a window resized, a phone turned), but only while the box has a size: ECharts
  // 6.1's map throws on every frame once it lays itself out at 0×0 (a hidden box, a page being left). An
  // option set meanwhile waits for the box to be shown.
  const waiting = {};
  const sized = (el) => el.clientWidth > 0 && el.clientHeight > 0;
  const boxes = new ResizeObserver((entries) => {
    if (leaving) return;
    entries.forEach(({ target }) => {
      const name = target.dataset.chart;
      if (!sized(target)) return;
      charts[name].resize();
      if (waiting[name]) {
        charts[name].setOption(waiting[name], true);
        delete waiting[name];
      }
    });
  });
  const show = (name, option) => {
    if (sized(charts[name].getDom())) {
      delete waiting[name];  // an older option still waiting must not come after this one
      charts[name].setOption(option, true);
    } else {
      waiting[name] = option;
    }
  };
  document.querySelectorAll("[data-chart]").forEach((el) => {
    charts[el.dataset.chart] = window.echarts.init(el, null, { renderer: "svg" });
    boxes.observe(el);
  });
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const query = (extra) => {
    const params = new URLSearchParams({ measure: picker.value, ...extra });
    if (data.station_code) params.set("station_code", data.station_code);
    return params;
  };
  window.addEventListener("pagehide", () => {
    leaving = true;
    boxes.disconnect();
    Object.values(charts).forEach((chart) => chart.dispose());
  });
  const draw = async () => {
    const series = await (await fetch(`/api/v1/stats/series?${query({ year: data.year })}`)).json();
    if (leaving) return;
    show("months", {
      title: { text: series.station_level ? `${series.label}（本所口径）` : series.label, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      legend: { top: 0, right: 0 }, grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: months }, yAxis: { type: "value" },
      series: [{ name: `${series.year}`, type: "line", data: series.this },
               { name: `${series.year - 1}`, type: "line", lineStyle: { type: "dashed" }, data: series.last }],
    });
    show("stations", {
      tooltip: { trigger: "axis" }, legend: { top: 0, right: 0 }, grid: { left: 48, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: series.stations.map((s) => s.code), axisLabel: { rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ name: "今年", type: "bar", data: series.stations.map((s) => s.this) },
               { name: "去年", type: "bar", data: series.stations.map((s) => s.last) }],
    });
    const map = await (await fetch(`/api/v1/stats/map?${new URLSearchParams({ measure: picker.value })}`)).json();
    if (leaving) return;
    const codes = new Set(map.values.map((v) => v.code));
    const geo = { type: "FeatureCollection",
                  features: map.geojson.features.filter((f) => codes.has(f.properties.code))
                    .map((f) => ({ ...f, properties: { ...f.properties, name: f.properties.code } })) };
    window.echarts.registerMap("pingan-branch", geo);
    const values = map.values.filter((v) => v.value !== null).map((v) => v.value);
    show("map", {
      tooltip: { formatter: (p) => `${(map.values.find((v) => v.code === p.name) || {}).name || p.name}: ${p.value ?? "—"}` },
      visualMap: { min: Math.min(0, ...values), max: Math.max(1, ...values), left: 0, bottom: 0, calculable: true },
      series: [{ type: "map", map: "pingan-branch", roam: true, label: { show: false },
                 data: map.values.map((v) => ({ name: v.code, value: v.value })) }],
    });
    charts.map.off("click");
    charts.map.on("click", (p) => {
      const area = map.values.find((v) => v.code === p.name);
      if (area && map.level === "station" && !map.station_level) window.location = `/stats/records?${query({ station_code: area.code })}`;
    });
  };
  picker.addEventListener("change", draw);
  draw();
});
