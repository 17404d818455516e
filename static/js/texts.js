/*
 * A document's texts as tabs (issue 14): the primary text, its original, further
 * translations. Without JavaScript every text shows one after another; here they
 * become an ARIA tablist (arrow keys, Home, End), and a link to a name in a hidden
 * text (#ru-original-m12) opens that text first.
 */
(function () {
  "use strict";

  function setup(container) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(".text-version"));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.className = "text-tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Texts of this document");
    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "text-tab";
      tab.id = panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = panel.getAttribute("data-label");
      var lang = panel.querySelector(".transcription").getAttribute("lang");
      if (lang) tab.setAttribute("data-lang", lang);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
      var heading = panel.querySelector(".text-version-heading");
      if (heading) heading.classList.add("visually-hidden");
      tab.addEventListener("click", function () {
        select(index, false);
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (index + 1) % tabs.length;
        else if (event.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = tabs.length - 1;
        if (next !== null) {
          event.preventDefault();
          select(next, true);
        }
      });
      list.appendChild(tab);
      return tab;
    });

    function select(chosen, focus) {
      tabs.forEach(function (tab, index) {
        var active = index === chosen;
        tab.setAttribute("aria-selected", active ? "true" : "false");
        tab.tabIndex = active ? 0 : -1;
        panels[index].hidden = !active;
      });
      if (focus) tabs[chosen].focus();
    }

    function panelOf(hash) {
      if (!hash || hash.length < 2) return -1;
      var target = document.getElementById(decodeURIComponent(hash.slice(1)));
      if (!target) return -1;
      for (var i = 0; i < panels.length; i++) {
        if (panels[i] === target || panels[i].contains(target)) return i;
      }
      return -1;
    }

    container.insertBefore(list, container.firstChild);
    var fromHash = panelOf(window.location.hash);
    select(fromHash < 0 ? 0 : fromHash, false);
    window.addEventListener("hashchange", function () {
      var index = panelOf(window.location.hash);
      if (index >= 0) select(index, false);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-text-versions]"), setup);
})();
