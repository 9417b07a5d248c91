/* Event times (<time data-event-time data-zone="Europe/Paris" datetime="ISO">) are shown by the
   server in the event's own zone. Where the browser's zone differs and the visitor has not
   chosen one (data-visitor-shown), the time in the browser's zone is added beside it; the
   time-zone field is offered the browser's zone. No outside call. */
(function () {
  "use strict";

  function run() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    if (!zone) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-visitor-zone-input]"), function (input) {
      if (!input.value) input.setAttribute("placeholder", zone);
    });
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: zone,
    });
    Array.prototype.forEach.call(document.querySelectorAll("time[data-event-time]"), function (el) {
      if (el.hasAttribute("data-visitor-shown") || el.getAttribute("data-zone") === zone) return;
      var moment = new Date(el.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      var note = document.createElement("span");
      note.className = "muted small";
      note.textContent = " (" + format.format(moment) + ", " + zone + ")";
      el.insertAdjacentElement("afterend", note);
      el.setAttribute("data-visitor-shown", "");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
