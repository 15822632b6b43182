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
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      menu.setAttribute("data-collapsed", String(!open));
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and returns focus to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // Move focus to a form's error summary so screen-reader users hear what went wrong.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Third-party embeds load only when asked: the provider's markup waits in an
  // inert <template>, so nothing reaches the provider before the click.
  function initEmbeds() {
    document.querySelectorAll("[data-embed]").forEach(function (embed) {
      var consent = embed.querySelector("[data-embed-consent]");
      var button = embed.querySelector("[data-embed-load]");
      var frame = embed.querySelector("[data-embed-frame]");
      var template = embed.querySelector("template[data-embed-template]");
      if (!consent || !button || !frame || !template) return;
      consent.hidden = false;
      button.addEventListener("click", function () {
        frame.appendChild(document.importNode(template.content, true));
        frame.querySelectorAll("iframe").forEach(function (iframe) {
          if (!iframe.getAttribute("title")) iframe.setAttribute("title", embed.getAttribute("data-embed-title") || "");
        });
        frame.hidden = false;
        consent.hidden = true;
        // The button is gone: keep keyboard focus next to where it was.
        frame.focus();
      });
    });
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
    initEmbeds();
    mountWidgets();
  });
})();
