// 打击统计: draws the charts of /cases/figures from the JSON the page carries (no inline code: the CSP refuses it).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("cases-figures-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const bar = (labels, values) => ({
    tooltip: {}, grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "category", data: labels }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: values }],
  });
  const pie = (items) => ({ tooltip: {}, series: [{ type: "pie", radius: ["35%", "70%"], data: items }] });
  const options = {
    months: bar(data.months, data.cases_by_month),
    categories: pie(data.categories),
    calls: pie(data.calls),
    fraud: {
      tooltip: {}, legend: { top: 0 }, grid: { left: 48, right: 64, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.fraud.years },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value" }],
      series: [{ name: "案件", type: "bar", data: data.fraud.cases },
               { name: "损失（元）", type: "line", yAxisIndex: 1, data: data.fraud.loss }],
    },
  };
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(options[el.dataset.chart]);
    window.addEventListener("resize", () => chart.resize());
  });
});
