// Draws the statistics page's charts from the JSON the page embeds (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("chart-labels").dataset;
  var blue = "#0b5cad", orange = "#c2410c";
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }
  var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: true } } };
  draw("chart-orders", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: [
        { label: labels.ordersLabel, data: data.orders, backgroundColor: blue, yAxisID: "y" },
        { label: labels.revenueLabel, data: data.revenue, type: "line", borderColor: orange, backgroundColor: orange, yAxisID: "y1" }
      ]
    },
    options: Object.assign({}, common, { scales: { y: { beginAtZero: true, position: "left" }, y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } })
  });
  draw("chart-categories", {
    type: "bar",
    data: { labels: data.categories, datasets: [{ label: labels.servicesLabel, data: data.category_services, backgroundColor: blue }] },
    options: Object.assign({}, common, { indexAxis: "y" })
  });
  draw("chart-levels", {
    type: "doughnut",
    data: { labels: data.levels, datasets: [{ data: data.level_counts, backgroundColor: [blue, orange, "#15803d", "#7c3aed", "#5b6577"] }] },
    options: common
  });
  draw("chart-utilisation", {
    type: "bar",
    data: { labels: data.utilisation_centers, datasets: [{ label: labels.utilisationLabel, data: data.utilisation_percent, backgroundColor: orange }] },
    options: Object.assign({}, common, { indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } } })
  });
  draw("chart-searches", {
    type: "line",
    data: { labels: data.search_days, datasets: [{ label: labels.searchesLabel, data: data.search_counts, borderColor: blue, backgroundColor: blue }] },
    options: common
  });
})();
