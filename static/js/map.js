/*
 * Maps for the map page and for place and event pages.
 *
 * The markers come from JSON embedded in the page by Django's json_script (data, not
 * code); the same places are listed in plain HTML on the page, so nothing is lost when
 * JavaScript or the OpenStreetMap tiles are unavailable (markers still show offline).
 */
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function initMap(container) {
    var data = document.getElementById(container.getAttribute("data-map"));
    if (!data || typeof L === "undefined") {
      return;
    }
    var places = JSON.parse(data.textContent);
    if (!places.length) {
      return;
    }
    container.textContent = "";
    container.classList.add("map-ready");
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution:
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    }).addTo(map);

    var bounds = [];
    places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        title: place.name,
        alt: place.name,
        riseOnHover: true,
        zIndexOffset: place.main ? 1000 : 0,
      }).addTo(map);
      marker.bindPopup(
        '<a href="' + escapeHtml(place.url) + '">' + escapeHtml(place.name) + "</a>" +
          (place.kind ? "<br>" + escapeHtml(place.kind) : "")
      );
      var element = marker.getElement();
      if (element) {
        element.setAttribute("data-place", place.name);
        if (place.main) {
          element.classList.add("marker-main");
        }
      }
      bounds.push([place.lat, place.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 9);
    } else {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
