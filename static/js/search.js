/* Name suggestions for the search box: progressive enhancement.
 *
 * Without this script the search form works as it is. With it, typing two letters or
 * more lists matching people, places, organizations and events (any spelling) from
 * /search/suggest/, following the ARIA combobox pattern: the input controls a listbox,
 * Arrow keys move through the options (aria-activedescendant), Enter opens the chosen
 * record, Escape closes the list, and a polite live region says how many were found.
 * Every name is inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) {
      return;
    }
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

    var wrapper = document.createElement("div");
    wrapper.className = "search-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

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
      if (item && typeof item.url === "string" && item.url.charAt(0) === "/") {
        window.location.assign(item.url);
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
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.name;
        option.appendChild(name);
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
          /* Offline or aborted: the plain search still works. */
        });
    }

    input.addEventListener("input", function () {
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
