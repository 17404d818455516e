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

  function median(values) {
    var sorted = values.slice().sort(function (a, b) {
      return a - b;
    });
    return sorted[Math.floor(sorted.length / 2)];
  }

  // Places within about 1,000 km of the median place (all of them if that leaves few).
  function core(places) {
    var lat = median(places.map(function (p) { return p.lat; }));
    var lon = median(places.map(function (p) { return p.lon; }));
    var near = places.filter(function (p) {
      var dy = p.lat - lat;
      var dx = (p.lon - lon) * Math.cos((lat * Math.PI) / 180);
      return Math.sqrt(dx * dx + dy * dy) * 111 < 1000;
    });
    return near.length >= Math.max(2, places.length / 2) ? near : places;
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

    // Set the view first: Leaflet renders markers only on a map that has one. The
    // view frames where most places are; a far-off one (Moscow) is a zoom-out away.
    var bounds = core(places).map(function (place) {
      return [place.lat, place.lon];
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 9);
    } else {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
    }

    places.forEach(function (place) {
      var options = {
        title: place.name,
        alt: place.name,
        riseOnHover: true,
        zIndexOffset: place.main ? 1000 : 0,
      };
      if (place.main) {
        options.icon = new L.Icon.Default({ className: "marker-main" });
      }
      L.marker([place.lat, place.lon], options)
        .addTo(map)
        .bindPopup(
          '<a href="' + escapeHtml(place.url) + '">' + escapeHtml(place.name) + "</a>" +
            (place.kind ? "<br>" + escapeHtml(place.kind) : "")
        );
    });
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
