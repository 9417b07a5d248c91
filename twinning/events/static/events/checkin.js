/* The check-in page: after each answer the code field is emptied and focused again (a
   hardware scanner types the next code into it), and where the browser has BarcodeDetector a
   camera button scans QR codes. No library: without either, the page works as a plain form. */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    var form = document.querySelector("[data-checkin-form]");
    if (!form) {
      return;
    }
    var input = form.querySelector("input[name=code]");

    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail && event.detail.elt === form) {
        input.value = "";
        input.focus();
      }
    });

    var button = form.querySelector("[data-checkin-camera]");
    var video = form.querySelector("[data-checkin-preview]");
    if (!button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
      return;
    }
    var detector;
    try {
      detector = new window.BarcodeDetector({formats: ["qr_code"]});
    } catch (error) {
      return;
    }
    button.hidden = false;
    var stream = null;
    var last = "";

    function stop() {
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
      video.hidden = true;
      button.setAttribute("aria-pressed", "false");
    }

    function look() {
      if (!stream) {
        return;
      }
      detector.detect(video).then(function (codes) {
        var value = codes.length ? codes[0].rawValue : "";
        if (value && value !== last) {
          last = value;
          input.value = value;
          if (typeof form.requestSubmit === "function") {
            form.requestSubmit();
          } else {
            form.submit();
          }
          // The same ticket held in front of the camera is not scanned again at once.
          window.setTimeout(function () { last = ""; }, 3000);
        }
      }).catch(function () {}).then(function () {
        window.setTimeout(look, 250);
      });
    }

    button.addEventListener("click", function () {
      if (stream) {
        stop();
        return;
      }
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        button.setAttribute("aria-pressed", "true");
        return video.play();
      }).then(look).catch(stop);
    });
  });
}());
