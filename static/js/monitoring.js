// Draws the stacked bar chart of social media minutes per day from the JSON the page carries.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("usage-chart");
  const source = document.getElementById("usage-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const series = [
    ["In rest breaks", data.in_breaks, "#198754"],
    ["Outside breaks (work time)", data.outside_breaks, "#dc3545"],
    ["During overtime", data.overtime, "#fd7e14"],
    ["Outside working hours", data.outside_hours, "#6c757d"],
  ];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: series.map(([label, values, colour]) => ({ label, data: values, backgroundColor: colour })),
    },
    options: {
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "minutes" } } },
    },
  });
});
