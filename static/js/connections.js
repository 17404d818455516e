/* The connection pickers (/connections/ and "connect to…" on record pages):
 * progressive enhancement of plain text fields.
 *
 * Without this script each field is sent as typed and the page resolves it by name
 * search, with a "did you mean" list. With it, typing two letters or more lists
 * matching records from the name suggestions (/search/suggest/), in the ARIA combobox
 * pattern (arrow keys, Enter to choose, Escape to close, a polite count); choosing one
 * sends its permanent identifier ("people/vyacheslav-molotov") in a hidden field while
 * the visible field keeps the name. Typing again forgets the choice. Names are
 * inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;
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
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested names");
    list.hidden = true;

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    var hidden = document.createElement("input");
    hidden.type = "hidden";

    var wrapper = document.createElement("div");
    wrapper.className = "search-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    /* The chosen record: its identifier is sent, its name shown. */
    function select(identifier, label) {
      hidden.name = name;
      hidden.value = identifier;
      input.removeAttribute("name");
      input.value = label;
      input.setAttribute("data-chosen", identifier);
      lastQuery = label;
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

    var preset = input.getAttribute("data-label");
    if (preset && input.value) {
      select(input.value, preset);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) {
        return;
      }
      if (index < 0) {
        index = options.length - 1;
      } else if (index >= options.length) {
        index = 0;
      }
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = items[index];
      var identifier = item ? identifierOf(item.url) : "";
      if (identifier) {
        select(identifier, item.name);
        close();
        status.textContent = item.name + " chosen.";
      }
    }

    function render(found) {
      items = Array.isArray(found) ? found : [];
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "suggestion-name";
        label.textContent = item.name;
        option.appendChild(label);
        var detail = document.createElement("span");
        detail.className = "suggestion-detail";
        var text = " " + item.kind;
        if (item.matched && item.matched !== item.name) {
          text += ", as “" + item.matched + "”";
        }
        detail.textContent = text;
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(i);
        });
        list.appendChild(option);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent =
          items.length + (items.length === 1 ? " name suggested" : " names suggested") +
          ": use the arrow keys to choose.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      window
        .fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (found) {
          if (input.value.trim() === query) {
            render(found);
          }
        })
        .catch(function () {
          /* Offline or aborted: the field is still sent as typed. */
        });
    }

    input.addEventListener("input", function () {
      forget();
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          setActive(active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  function start() {
    if (!window.fetch) {
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
