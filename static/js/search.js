/* Name suggestions for the search box: progressive enhancement.
 *
 * Without this script the search form works as it is. With it, typing two letters or
 * more lists matching people, places, organizations and events (any spelling) from
 * /search/suggest/ in the shared ARIA combobox (suggest.js, loaded first): Arrow keys
 * move through the options, Enter opens the chosen record, Escape closes the list, and
 * a polite live region says how many were found. Every name is inserted as text
 * (textContent), never as HTML.
 */
(function () {
  "use strict";

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch || !window.ArchiveSuggest) {
      return;
    }
    window.ArchiveSuggest.attach(input, url, {
      statusParent: form,
      onChoose: function (item) {
        if (typeof item.url === "string" && item.url.charAt(0) === "/") {
          window.location.assign(item.url);
        }
        return "";
      },
    });
  }

  function start() {
    document.querySelectorAll("form[data-suggest-url]").forEach(enhance);
    // On a small screen the filter column starts folded (its summary opens it), so
    // the results come first; without this script it is simply open.
    if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
      document.querySelectorAll("details.filters-panel").forEach(function (panel) {
        panel.open = false;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
