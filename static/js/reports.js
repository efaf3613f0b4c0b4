// HR report charts. The figures come from a <script type="application/json"> block written by Django's
// json_script (data, not code), so the content security policy needs no inline script.
(function () {
  "use strict";

  // Colour-blind-safe palette (Okabe and Ito), then greys for long series.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999", "#6B4C9A", "#2F4F4F", "#8C564B"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof window.Chart === "undefined") return;
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((dataset, index) => ({
      label: dataset.label,
      data: dataset.data,
      backgroundColor: PALETTE[index % PALETTE.length],
      borderWidth: 0,
    }));
    canvas.chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { stacked: Boolean(spec.stacked) },
          y: {
            stacked: Boolean(spec.stacked),
            beginAtZero: true,
            title: { display: Boolean(spec.yTitle), text: spec.yTitle || "" },
          },
        },
      },
    });
    canvas.dataset.drawn = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
  });
})();
