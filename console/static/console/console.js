// The console's behaviour, loaded from a static file (no inline scripts: docs/adr/0017).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // The organization switcher submits when a choice is made.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Destructive buttons ask first.
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // "Select all" in the attendee list.
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
      });
    }
    // Charts: <canvas data-chart="id-of-json"> with a JSON data island {type, labels, datasets}.
    if (window.Chart) {
      document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
        var source = document.getElementById(canvas.getAttribute("data-chart"));
        if (!source) { return; }
        var spec = JSON.parse(source.textContent);
        new window.Chart(canvas, {
          type: spec.type || "bar",
          data: { labels: spec.labels, datasets: spec.datasets },
          options: {
            responsive: true, maintainAspectRatio: false, animation: false,
            plugins: { legend: { display: spec.datasets.length > 1 } },
            scales: spec.type === "doughnut" ? {} : { y: { beginAtZero: true } }
          }
        });
      });
    }
  });
})();
