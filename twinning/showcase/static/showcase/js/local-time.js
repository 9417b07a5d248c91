/* Moments marked <time data-local-time datetime="ISO"> are shown by the server in the
   association's time zone; here they are rewritten in the visitor's own, with the zone named. */
(function () {
  "use strict";

  function localise() {
    var format;
    try {
      format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "long",
        timeStyle: "short",
        timeZoneName: "short",
      });
    } catch (error) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("time[data-local-time]"), function (el) {
      var moment = new Date(el.getAttribute("datetime"));
      if (!isNaN(moment.getTime())) {
        el.setAttribute("title", el.textContent);
        el.textContent = format.format(moment);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localise);
  } else {
    localise();
  }
})();
