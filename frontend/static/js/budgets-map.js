// Maps of participatory budget projects: islands mounted by main.js from data-widget.
// Without JavaScript (or without Leaflet) the map stays hidden: the page always lists
// the same projects as text, and the location fields of the proposal form can be typed.
// Popups are built with DOM text nodes: project titles are user content, never HTML.
(function () {
  "use strict";
  var registry = (window.civicWidgets = window.civicWidgets || {});
  var MARKER = { radius: 9, weight: 3, color: "#133766", fillColor: "#1d4f91", fillOpacity: 0.85 };

  function number(value) {
    var parsed = parseFloat(String(value || "").replace(",", ".").trim());
    return isNaN(parsed) ? null : parsed;
  }

  function createMap(el) {
    el.hidden = false;
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", el.getAttribute("data-label") || "");
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.getAttribute("data-tile-url"), {
      attribution: el.getAttribute("data-attribution") || "",
      maxZoom: 19,
    }).addTo(map);
    return map;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    var status = document.createElement("p");
    status.textContent = point.status;
    box.appendChild(link);
    box.appendChild(status);
    return box;
  }

  registry["project-map"] = function (el) {
    var source = document.getElementById(el.getAttribute("data-points"));
    if (!window.L || !source) return;
    var points = JSON.parse(source.textContent);
    if (!points.length) return;
    var map = createMap(el);
    var bounds = points.map(function (point) {
      L.circleMarker([point.lat, point.lng], MARKER).bindPopup(popup(point)).addTo(map);
      return [point.lat, point.lng];
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 16);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
  };

  registry["location-picker"] = function (el) {
    var lat = document.getElementById(el.getAttribute("data-latitude"));
    var lng = document.getElementById(el.getAttribute("data-longitude"));
    if (!window.L || !lat || !lng) return;
    var center = (el.getAttribute("data-center") || "46.6,2.5,6").split(",").map(Number);
    var map = createMap(el);
    var marker = null;

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, MARKER).addTo(map);
      }
    }

    function fromInputs() {
      var y = number(lat.value);
      var x = number(lng.value);
      if (y === null || x === null) return;
      place([y, x]);
      map.setView([y, x], Math.max(map.getZoom() || 0, 16));
    }

    map.setView([center[0], center[1]], center[2] || 13);
    fromInputs();
    // A click fills the fields people can also type in: the form stays the source of truth.
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    lat.addEventListener("change", fromInputs);
    lng.addEventListener("change", fromInputs);
  };
})();
