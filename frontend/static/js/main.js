// Progressive enhancement only: every page works without this file.
// Behaviour attaches to data-* hooks; nothing is inline.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Collapsible main menu on phones (the toggle stays hidden without JavaScript).
  function initMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = document.querySelector("[data-menu]");
    if (!toggle || !menu) return;
    toggle.hidden = false;
    menu.setAttribute("data-collapsed", "true");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      menu.setAttribute("data-collapsed", String(open));
    });
  }

  // Move focus to a form's error summary so screen-reader users hear what went wrong.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Islands: <div data-widget="name"> mounts window.civicWidgets[name](element).
  function mountWidgets() {
    var registry = window.civicWidgets || {};
    document.querySelectorAll("[data-widget]").forEach(function (el) {
      var mount = registry[el.getAttribute("data-widget")];
      if (mount && !el.hasAttribute("data-mounted")) {
        el.setAttribute("data-mounted", "");
        mount(el);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMenu();
    focusErrorSummary();
    mountWidgets();
  });
})();
