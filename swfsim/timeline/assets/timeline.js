"use strict";
// Shows the attributes of the events of whatever is clicked (or focused and Enter pressed).
(function () {
  var events = JSON.parse(document.getElementById("swfsim-events").textContent);
  var panel = document.getElementById("swfsim-details");
  var text = panel.querySelector("pre");

  function show(element) {
    var run = element.closest("[data-run]").getAttribute("data-run");
    var ids = element.getAttribute("data-events").split(" ");
    text.textContent = ids.map(function (id) {
      return JSON.stringify(events[run][id], null, 2);
    }).join("\n\n");
    panel.hidden = false;
  }

  document.addEventListener("click", function (click) {
    var element = click.target.closest("[data-events]");
    if (element) { show(element); }
  });
  document.addEventListener("keydown", function (key) {
    var element = key.target.closest && key.target.closest("[data-events]");
    if (key.key === "Enter" && element) { show(element); }
    if (key.key === "Escape") { panel.hidden = true; }
  });
  document.getElementById("swfsim-close").addEventListener("click", function () {
    panel.hidden = true;
  });
  document.body.setAttribute("data-swfsim-ready", "ok");
}());
