/* Community choosers (staff "record a partnership", portal "propose a partnership"): a text
   input marked data-community-chooser, inside a form whose data-community-search names the
   JSON endpoint, gets a native <datalist> of matching communities as the user types. The
   suggestion's value is the community's identifier (slug); without JS, typing the exact name
   works too. */
(function () {
  "use strict";

  function attach(form) {
    var url = form.getAttribute("data-community-search");
    var inputs = form.querySelectorAll("input[data-community-chooser]");
    Array.prototype.forEach.call(inputs, function (input) {
      var list = document.createElement("datalist");
      var timer = null;
      var last = "";
      list.id = input.id + "-options";
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("list", list.id);
      input.addEventListener("input", function () {
        var query = input.value.trim();
        window.clearTimeout(timer);
        if (query.length < 2 || query === last) {
          return;
        }
        timer = window.setTimeout(function () {
          last = query;
          fetch(url + "?q=" + encodeURIComponent(query), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          })
            .then(function (response) {
              return response.ok ? response.json() : { results: [] };
            })
            .then(function (data) {
              list.replaceChildren();
              data.results.forEach(function (item) {
                var option = document.createElement("option");
                option.value = item.value;
                option.label = item.label;
                option.textContent = item.label;
                list.appendChild(option);
              });
            })
            .catch(function () {
              list.replaceChildren();
            });
        }, 200);
      });
    });
  }

  function ready() {
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-community-search]"),
      attach
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
