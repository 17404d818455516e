/*
 * The page-image viewer beside a transcription (OpenSeadragon over the IIIF Image API,
 * level 0). Without JavaScript the thumbnails are plain links to each page's image and
 * the page breaks in the text ("l. 4") jump to them; with it, both move the viewer.
 * While the reader scrolls the text, the viewer follows the last page break read.
 */
(function () {
  "use strict";

  var frame = document.querySelector(".scan-viewer-frame");
  var element = document.getElementById("scan-viewer");
  var links = Array.prototype.slice.call(document.querySelectorAll(".scan-pages a[data-info]"));
  if (!frame || !element || !links.length || typeof OpenSeadragon !== "function") {
    return;
  }
  frame.hidden = false;
  var status = frame.querySelector(".scan-status");
  var current = 0;
  var chosenAt = 0; // a page chosen by the reader is not overridden by scrolling at once

  // OpenSeadragon adds an inline <style> (hiding the focus outline on touch screens)
  // unless one is there already. The site's policy allows no inline style, and the
  // outline is wanted anyway: tell it, for this one call, that it is there.
  var querySelector = document.querySelector;
  document.querySelector = function (selector) {
    if (selector === "style[data-openseadragon-mobile-css]") return document.head;
    return querySelector.apply(document, arguments);
  };
  var viewer;
  try {
    viewer = makeViewer();
  } finally {
    document.querySelector = querySelector;
  }

  function makeViewer() { return OpenSeadragon({
    element: element,
    prefixUrl: element.getAttribute("data-prefix"),
    tileSources: links.map(function (link) { return link.getAttribute("data-info"); }),
    sequenceMode: true,
    showNavigationControl: false,
    showSequenceControl: false,
    preserveViewport: false,
    visibilityRatio: 0.5,
    gestureSettingsMouse: { clickToZoom: false },
    crossOriginPolicy: false
  }); }
  // The canvas is the keyboard's way in (arrows move, + and - zoom, 0 the whole page).
  element.setAttribute("tabindex", "-1");
  var canvas = viewer.canvas;
  if (canvas) {
    canvas.setAttribute("tabindex", "0");
    canvas.setAttribute("role", "application"); // it takes the arrow keys itself
    canvas.setAttribute("aria-label", "Page image: arrow keys move, + and - zoom, 0 shows the whole page");
  }

  function show(page) {
    current = page;
    links.forEach(function (link, index) {
      if (index === page) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (status) {
      status.textContent = "Page " + (page + 1) + " of " + links.length + ": " +
        links[page].getAttribute("data-label");
    }
    element.setAttribute("data-current-page", String(page + 1));
  }

  function choose(page) {
    chosenAt = Date.now();
    go(page);
  }

  function go(page) {
    if (page < 0 || page >= links.length) return;
    if (page !== current) viewer.goToPage(page);
    show(page);
  }

  viewer.addHandler("page", function (event) { show(event.page); });
  viewer.addHandler("open", function () {
    element.setAttribute("data-ready", "true");
  });
  viewer.addHandler("zoom", function (event) {
    element.setAttribute("data-zoom", String(Math.round(event.zoom * 1000) / 1000));
  });
  show(0);

  frame.querySelector(".scan-controls").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-scan]");
    if (!button) return;
    var action = button.getAttribute("data-scan");
    var viewport = viewer.viewport;
    if (action === "previous") choose(current - 1);
    else if (action === "next") choose(current + 1);
    else if (action === "zoom-in") { viewport.zoomBy(1.5); viewport.applyConstraints(); }
    else if (action === "zoom-out") { viewport.zoomBy(1 / 1.5); viewport.applyConstraints(); }
    else if (action === "home") viewport.goHome();
  });

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      choose(index);
    });
  });

  var breaks = Array.prototype.slice.call(document.querySelectorAll(".transcription .page-break[data-page]"));
  breaks.forEach(function (marker) {
    marker.addEventListener("click", function (event) {
      event.preventDefault();
      choose(parseInt(marker.getAttribute("data-page"), 10) - 1);
      element.scrollIntoView({ block: "nearest" });
    });
  });

  // Keep the viewer on the page being read: the last break above the middle of the screen.
  if (breaks.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function () {
      if (Date.now() - chosenAt < 1500) return;
      var middle = window.innerHeight / 2;
      var page = null;
      breaks.forEach(function (marker) {
        if (marker.getBoundingClientRect().top < middle) {
          page = parseInt(marker.getAttribute("data-page"), 10) - 1;
        }
      });
      if (page !== null && page !== current) go(page);
    }, { rootMargin: "0px 0px -50% 0px" });
    breaks.forEach(function (marker) { observer.observe(marker); });
  }
})();
