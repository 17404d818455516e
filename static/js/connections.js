/* The connection pickers (/connections/ and "connect to…" on record pages):
 * progressive enhancement of plain text fields.
 *
 * Without this script each field is sent as typed and the page resolves it by name
 * search, with a "did you mean" list. With it, typing two letters or more lists
 * matching records from the name suggestions (/search/suggest/), in the shared ARIA
 * combobox (suggest.js, loaded first: arrow keys, Enter to choose, Escape to close, a
 * polite count); choosing one sends its permanent identifier ("people/vyacheslav-molotov")
 * in a hidden field while the visible field keeps the name. Typing again forgets the
 * choice. Names are inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var counter = 0;

  /* "/people/vyacheslav-molotov/" -> "people/vyacheslav-molotov" (the last two parts,
   * whatever prefix the site is served under). */
  function identifierOf(url) {
    if (typeof url !== "string" || url.charAt(0) !== "/") {
      return "";
    }
    var parts = url.split("/").filter(function (part) {
      return part !== "";
    });
    return parts.length >= 2 ? parts.slice(-2).join("/") : "";
  }

  function enhance(input, url, form) {
    var name = input.getAttribute("name");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    var combobox;

    /* The chosen record: its identifier is sent, its name shown. */
    function select(identifier, label) {
      hidden.name = name;
      hidden.value = identifier;
      input.removeAttribute("name");
      input.value = label;
      input.setAttribute("data-chosen", identifier);
      combobox.remember(label);
      if (!hidden.parentNode) {
        form.appendChild(hidden);
      }
    }

    function forget() {
      if (hidden.parentNode) {
        hidden.parentNode.removeChild(hidden);
      }
      input.setAttribute("name", name);
      input.removeAttribute("data-chosen");
    }

    combobox = window.ArchiveSuggest.attach(input, url, {
      onInput: forget,
      onChoose: function (item) {
        var identifier = identifierOf(item.url);
        if (!identifier) {
          return "";
        }
        select(identifier, item.name);
        return item.name + " chosen.";
      },
    });

    var preset = input.getAttribute("data-label");
    if (preset && input.value) {
      select(input.value, preset);
    }
  }

  function start() {
    if (!window.fetch || !window.ArchiveSuggest) {
      return;
    }
    document.querySelectorAll("form.connect-form[data-suggest-url]").forEach(function (form) {
      var url = form.getAttribute("data-suggest-url");
      form.querySelectorAll("input.node-picker").forEach(function (input) {
        if (!input.id) {
          counter += 1;
          input.id = "node-picker-" + counter;
        }
        enhance(input, url, form);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
