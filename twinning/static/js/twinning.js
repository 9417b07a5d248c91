/* Twinning: small progressive enhancements, attached by data attributes (CSP forbids inline
   code). Every page works without this file. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // <select data-autosubmit> (and other controls) submit their form when changed. With htmx on
  // the form, htmx's own trigger handles it; requestSubmit keeps validation and submit events.
  function onChange(event) {
    var control = event.target;
    if (!control || !control.hasAttribute || !control.hasAttribute("data-autosubmit")) {
      return;
    }
    var form = control.form;
    if (!form || form.hasAttribute("hx-get") || form.hasAttribute("hx-post")) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // The mobile menu button: shown only when JS runs (the menu is open without JS).
  function setUpNavToggle() {
    var buttons = document.querySelectorAll("[data-nav-toggle]");
    Array.prototype.forEach.call(buttons, function (button) {
      var header = button.closest(".site-header");
      if (!header) {
        return;
      }
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        var open = header.classList.toggle("is-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && header.classList.contains("is-open")) {
          header.classList.remove("is-open");
          button.setAttribute("aria-expanded", "false");
          button.focus();
        }
      });
    });
  }

  function hideJsHidden(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".js-hidden"), function (element) {
      element.hidden = true;
    });
  }

  // After htmx swaps results in, move focus to the results' heading for screen readers only
  // when the swap came from a filter form (not while typing in the search box).
  function onAfterSwap(event) {
    hideJsHidden(event.target);
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-results")) {
      var status = target.querySelector("[data-results-status]");
      var live = document.querySelector("[data-results-live]");
      if (status && live) {
        live.textContent = status.textContent;
      }
    }
  }

  // <input type="checkbox" data-select-all="NAME"> ticks or unticks every checkbox NAME of its
  // form; its label (in an element with data-select-all-label, hidden without JS) shows then.
  function onSelectAll(event) {
    var box = event.target;
    if (!box || !box.hasAttribute || !box.hasAttribute("data-select-all") || !box.form) {
      return;
    }
    var name = box.getAttribute("data-select-all");
    Array.prototype.forEach.call(box.form.elements, function (element) {
      if (element.type === "checkbox" && element.name === name) {
        element.checked = box.checked;
      }
    });
  }

  function showSelectAll(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-select-all-label]"), function (el) {
      el.hidden = false;
    });
  }

  // The role menus (<details data-role-menu>): one open at a time; Escape or a click elsewhere
  // closes it. Without this file each still opens and closes on its own.
  function setUpRoleMenus() {
    var menus = document.querySelectorAll("[data-role-menu]");
    function closeAll(except) {
      Array.prototype.forEach.call(menus, function (menu) {
        if (menu !== except) {
          menu.open = false;
        }
      });
    }
    Array.prototype.forEach.call(menus, function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) {
          closeAll(menu);
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("[data-role-menu]")) {
        closeAll(null);
      }
    });
    document.addEventListener("keydown", function (event) {
      var open = document.querySelector("[data-role-menu][open]");
      if (event.key === "Escape" && open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    });
  }

  document.addEventListener("change", onChange);
  document.addEventListener("change", onSelectAll);
  document.addEventListener("htmx:afterSwap", onAfterSwap);
  ready(function () {
    hideJsHidden(document);
    showSelectAll(document);
    setUpNavToggle();
    setUpRoleMenus();
  });
})();
