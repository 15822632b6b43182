// Petition page enhancements; the page works fully without them.
// - [data-petition-count]: refreshed every 15 s from the light JSON counter (polite live region).
// - [data-copy-button="<id>"]: copies the text of the field with that id.
(function () {
  "use strict";

  function initCounter() {
    var count = document.querySelector("[data-petition-count]");
    var box = document.querySelector("[data-count-url]");
    if (!count || !box || !window.fetch) return;
    var url = box.getAttribute("data-count-url");
    var bar = document.querySelector("[data-petition-bar]");
    var format = new Intl.NumberFormat(document.documentElement.lang || "fr");
    var last = null;
    function refresh() {
      if (document.hidden) return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || data.count === last) return;
          if (last !== null) {
            var template = count.getAttribute(data.count === 1 ? "data-one" : "data-many");
            if (template) count.textContent = template.replace("{n}", format.format(data.count));
            if (bar && data.goal) bar.value = Math.min(data.count, data.goal);
          }
          last = data.count;
        })
        .catch(function () { /* offline or server busy: keep the number shown */ });
    }
    refresh();
    window.setInterval(refresh, 15000);
  }

  function initCopy() {
    var status = document.querySelector("[data-copy-status]");
    document.querySelectorAll("[data-copy-button]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-button"));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          if (status) status.textContent = button.getAttribute("data-copied") || "";
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCounter();
    initCopy();
  });
})();
