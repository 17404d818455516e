/* The name-suggestion combobox shared by the search box (search.js) and the connection
 * pickers (connections.js): progressive enhancement of a text input.
 *
 * ArchiveSuggest.attach(input, url, options) makes the input, once two letters or more
 * are typed, list matching records from the name suggestions (url, /search/suggest/),
 * following the ARIA combobox pattern: the input controls a listbox, Arrow keys move
 * through the options (aria-activedescendant), Enter chooses, Escape closes the list,
 * and a polite live region says how many were found. Every name is inserted as text
 * (textContent), never as HTML. What choosing does is the caller's:
 *
 *   options.onChoose(item)  called with the chosen suggestion ({name, kind, url,
 *                           matched}); if it returns a message, the list closes and the
 *                           live region says it.
 *   options.onInput()       optional, called on every edit before the lookup is planned.
 *   options.statusParent    optional, where the live region goes (default: beside the
 *                           list).
 *
 * attach returns {remember(text)}: text the caller put in the input itself, so it is not
 * looked up again.
 */
(function () {
  "use strict";

  if (window.ArchiveSuggest) {
    return;
  }

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function attach(input, url, options) {
    var onChoose = options.onChoose;
    var onInput = options.onInput;
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
    (options.statusParent || wrapper).appendChild(status);

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
      var found = list.querySelectorAll('[role="option"]');
      if (!found.length) {
        return;
      }
      if (index < 0) {
        index = found.length - 1;
      } else if (index >= found.length) {
        index = 0;
      }
      found.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      input.setAttribute("aria-activedescendant", found[index].id);
      found[index].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = items[index];
      var message = item ? onChoose(item) : "";
      if (message) {
        close();
        status.textContent = message;
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
          /* Offline or aborted: the field still works as typed. */
        });
    }

    input.addEventListener("input", function () {
      if (onInput) {
        onInput();
      }
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

    return {
      remember: function (text) {
        lastQuery = text;
      },
    };
  }

  window.ArchiveSuggest = { attach: attach };
})();
