// The ballot's live meter: remaining budget, points left, or projects chosen.
// Progressive enhancement only: the server computes the same sentence on "Check my ballot".
// Attaches to <form data-ballot> and writes into its polite aria-live <output data-ballot-meter>.
(function () {
  "use strict";

  function initBallot(form) {
    var output = form.querySelector("[data-ballot-meter]");
    if (!output) return;
    var box = form.querySelector("[data-ballot-meter-box]");
    var gauge = form.querySelector("[data-ballot-gauge]");
    var kind = form.getAttribute("data-ballot-kind");
    var total = parseInt(form.getAttribute("data-ballot-total"), 10);
    var textLeft = form.getAttribute("data-text-left") || "";
    var textOver = form.getAttribute("data-text-over") || "";
    var numbers = new Intl.NumberFormat(document.documentElement.lang || "fr");
    var last = output.textContent;

    function used() {
      var sum = 0;
      if (kind === "money") {
        form.querySelectorAll("input[type=checkbox][data-cost]:checked").forEach(function (box) {
          sum += parseInt(box.getAttribute("data-cost"), 10) || 0;
        });
      } else if (kind === "points") {
        form.querySelectorAll("input[data-points]").forEach(function (input) {
          var value = parseInt(input.value, 10);
          if (value > 0) sum += value;
        });
      } else {
        var seen = {};
        form.querySelectorAll("input[type=checkbox]:checked, select").forEach(function (field) {
          if (field.name === "receipt" || !field.value) return;
          seen[field.value] = true;
        });
        sum = Object.keys(seen).length;
      }
      return sum;
    }

    function update() {
      var value = used();
      var over = !isNaN(total) && value > total;
      var text;
      if (kind === "count") text = textLeft.replace("{n}", numbers.format(value));
      else if (over) text = textOver.replace("{n}", numbers.format(value - total));
      else text = textLeft.replace("{n}", numbers.format(isNaN(total) ? value : total - value));
      // Only announce real changes: a polite region repeating itself is noise.
      if (text !== last) {
        output.textContent = text;
        last = text;
      }
      if (box) box.classList.toggle("ballot-meter--over", over);
      if (gauge) gauge.value = Math.min(value, total);
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("form[data-ballot]").forEach(initBallot);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
