// The check-in desk: typed codes and QR codes read from the camera (jsQR on getUserMedia frames), one big result,
// undo, and counts kept live by the event stream (polled without it). Static file: the platform's CSP allows no inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var desk = document.getElementById("desk");
    if (!desk) { return; }
    var form = document.getElementById("scan-form");
    var input = document.getElementById("code");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var result = document.getElementById("result");
    var headline = document.getElementById("result-headline");
    var detail = document.getElementById("result-detail");
    var undo = document.getElementById("undo");
    var lastCheckIn = null;
    var busy = false;

    function counts(c) {
      if (!c) { return; }
      document.getElementById("count-in").textContent = c.checked_in;
      document.getElementById("count-left").textContent = c.remaining;
      document.getElementById("count-all").textContent = c.expected;
    }

    function show(answer) {
      result.className = "result " + (answer.tone || "invalid");
      headline.textContent = answer.headline || "";
      detail.textContent = answer.detail || "";
      result.setAttribute("data-result", answer.result || "");
      lastCheckIn = answer.checkinId || null;
      undo.classList.toggle("hidden", !lastCheckIn);
      counts(answer.counts);
    }

    function post(url, body) {
      var data = new URLSearchParams(body || {});
      return fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" }
      }).then(function (response) { return response.json(); });
    }

    function scan(code, via) {
      if (busy || !code) { return; }
      busy = true;
      var nonce = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID() : String(Date.now());
      post(desk.getAttribute("data-scan-url"), { code: code, via: via, nonce: nonce })
        .then(show)
        .catch(function () { show({ tone: "invalid", headline: "No connection", detail: "The scan was not sent; try again." }); })
        .then(function () { busy = false; input.value = ""; input.focus(); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      scan(input.value.trim(), "typed");
    });

    undo.addEventListener("click", function () {
      if (!lastCheckIn) { return; }
      var url = desk.getAttribute("data-undo-url").replace("00000000-0000-0000-0000-000000000000", lastCheckIn);
      post(url).then(show);
    });

    function refreshCounts() {
      fetch(desk.getAttribute("data-counts-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); }).then(counts).catch(function () {});
    }

    // Live counts: the platform's event stream (Server-Sent Events, /api/v1/stream) says when any door checks
    // someone in or a registration changes; the counts are then read again. EventSource reconnects by itself
    // and resumes after the last event it got. Without the stream the counts are polled every 5 s.
    var live = false;
    var streamUrl = desk.getAttribute("data-stream-url");
    var eventId = desk.getAttribute("data-event-id");
    function setLive(on) { live = on; desk.setAttribute("data-live", on ? "on" : "off"); }
    if (streamUrl && window.EventSource) {
      var source = new EventSource(streamUrl, { withCredentials: true });
      source.addEventListener("stream.ready", function () { setLive(true); refreshCounts(); });
      ["checkin.completed", "registration.confirmed", "registration.cancelled"].forEach(function (type) {
        source.addEventListener(type, function (message) {
          var event = JSON.parse(message.data);
          if (event.data && event.data.eventId === eventId) { refreshCounts(); }
        });
      });
      source.addEventListener("stream.closed", function () { source.close(); setLive(false); });
      source.addEventListener("error", function () { setLive(false); });
    }
    var ticks = 0;
    window.setInterval(function () {
      ticks += 1;
      // Live, still read every 30 s: an undone check-in at another door publishes no event.
      if (!live || ticks % 6 === 0) { refreshCounts(); }
    }, 5000);

    // The camera: frames drawn to a canvas and read by jsQR.
    var startButton = document.getElementById("camera-start");
    var video = document.getElementById("camera-video");
    var canvas = document.getElementById("camera-canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    // A code is sent once while it stays in view; it is sent again only after it has been out of view for 2 s.
    var lastCode = "", lastSeen = 0;

    function tick() {
      if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        var now = Date.now();
        if (lastCode && now - lastSeen > 2000) { lastCode = ""; }
        if (found && found.data) {
          if (found.data !== lastCode) {
            lastCode = found.data;
            scan(found.data.trim(), "camera");
          }
          lastSeen = now;
        }
      }
      window.requestAnimationFrame(tick);
    }

    startButton.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        show({ tone: "invalid", headline: "No camera", detail: "This browser cannot use a camera here; type the code." });
        return;
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          video.classList.remove("hidden");
          startButton.disabled = true;
          startButton.textContent = "Camera on";
          return video.play();
        })
        .then(function () { window.requestAnimationFrame(tick); })
        .catch(function (error) { show({ tone: "invalid", headline: "Camera unavailable", detail: String(error && error.message || error) }); });
    });
  });
})();
