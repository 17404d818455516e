/*
 * "Copy citation" on document pages. The button stays hidden without JavaScript or a
 * clipboard; the citation is ordinary text that can be selected and copied by hand.
 */
(function () {
  "use strict";

  function setup(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          if (status) status.textContent = "Citation copied.";
        },
        function () {
          if (status) status.textContent = "Could not copy: select the citation and copy it.";
        }
      );
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), setup);
})();
