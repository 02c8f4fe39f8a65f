// Webhook deliveries that update live: the platform's event stream (Server-Sent Events, /api/v1/stream) sends
// webhook.delivery.updated whenever a delivery is made or attempted. A row on the page changes in place; a new
// delivery is added at the top of the newest page when no filter could exclude it. Static file: no inline script.
(function () {
  "use strict";
  var LABELS = { succeeded: "Succeeded", failed: "Failed", pending: "Pending" };

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function utc(iso) {  // as the page renders times: Y-m-d H:i:s, UTC
    if (!iso) { return ""; }
    var d = new Date(iso);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function fill(cell, nodes) {
    while (cell.firstChild) { cell.removeChild(cell.firstChild); }
    nodes.forEach(function (node) { cell.appendChild(typeof node === "string" ? document.createTextNode(node) : node); });
  }
  function statusBadge(status) { return el("span", { "class": "badge badge-" + status }, [LABELS[status] || status]); }
  function response(d) {
    if (d.lastStatusCode) { return [el("code", {}, [String(d.lastStatusCode)])]; }
    if (d.lastError) {
      var shown = d.lastError.length > 40 ? d.lastError.slice(0, 39) + "…" : d.lastError;
      return [el("span", { "class": "help", title: d.lastError }, [shown])];
    }
    return ["—"];
  }

  function update(row, d) {
    fill(row.querySelector("[data-cell=status]"), [statusBadge(d.status)]);
    fill(row.querySelector("[data-cell=attempts]"), [String(d.attemptCount)]);
    fill(row.querySelector("[data-cell=response]"), response(d));
    fill(row.querySelector("[data-cell=last-attempt]"), [d.lastAttemptAt ? utc(d.lastAttemptAt) : "Not yet"]);
    row.classList.add("updated");
  }

  function newRow(box, d) {
    var url = function (name, id) { return box.getAttribute(name).replace("00000000-0000-0000-0000-000000000000", id); };
    var type = el("td", {}, [el("a", { href: url("data-delivery-url", d.id) }, [el("code", {}, [d.eventType])])]);
    if (d.isTest) { type.appendChild(document.createTextNode(" ")); type.appendChild(el("span", { "class": "badge" }, ["Test"])); }
    var cells = [type];
    if (box.getAttribute("data-show-subscription") === "on") {
      cells.push(el("td", { "class": "url-cell" }, [el("a", { href: url("data-subscription-url", d.subscriptionId) }, [d.subscriptionUrl])]));
    }
    cells.push(el("td", { "data-cell": "status" }), el("td", { "data-cell": "attempts" }), el("td", { "data-cell": "response" }),
      el("td", {}, [utc(d.createdAt)]), el("td", { "data-cell": "last-attempt" }));
    var row = el("tr", { "data-delivery-id": d.id }, cells);
    update(row, d);
    return row;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".deliveries-live[data-stream-url]");
    if (!box || !window.EventSource) { return; }
    var table = box.querySelector("table");
    var only = box.getAttribute("data-subscription");
    var source = new EventSource(box.getAttribute("data-stream-url"), { withCredentials: true });
    source.addEventListener("stream.ready", function () { box.setAttribute("data-live", "on"); });
    source.addEventListener("stream.closed", function () { source.close(); box.setAttribute("data-live", "off"); });
    source.addEventListener("error", function () { box.setAttribute("data-live", "off"); });
    source.addEventListener("webhook.delivery.updated", function (message) {
      var d = JSON.parse(message.data).data;
      if (only && d.subscriptionId !== only) { return; }
      var row = table.querySelector('tr[data-delivery-id="' + d.id + '"]');
      if (row) { update(row, d); return; }
      if (box.getAttribute("data-insert") !== "on") { return; }
      var body = table.querySelector("tbody");
      body.insertBefore(newRow(box, d), body.firstChild);
      table.hidden = false;
      var empty = document.querySelector("[data-deliveries-empty]");
      if (empty) { empty.hidden = true; }
    });
  });
})();
