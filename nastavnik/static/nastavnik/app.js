// Small behaviours of every page, bound here rather than in inline handlers: the
// Content-Security-Policy allows no inline script, no on… attribute and no style attribute.
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // A select that applies at once (the language switch); a button stays for no-JS browsers.
  each("select[data-autosubmit]", function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A read-only field to copy from (a calendar address): one click selects it all.
  each("input[data-select-on-click]", function (input) {
    input.addEventListener("click", function () { input.select(); });
  });

  each("button[data-print]", function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Shows the fields of the chosen category at once (the person form); without JavaScript the
  // server does it on submit.
  var kind = document.getElementById("id_kind");
  if (kind && !kind.disabled && document.querySelector("[data-kinds]")) {
    kind.addEventListener("change", function () {
      each("[data-kinds]", function (el) {
        el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(kind.value) === -1;
      });
    });
  }

  // Positions on the programme's timeline, given in per cent by the server.
  each("[data-left]", function (el) {
    el.style.left = el.getAttribute("data-left") + "%";
    if (el.hasAttribute("data-width")) { el.style.width = el.getAttribute("data-width") + "%"; }
  });
  each("[data-lanes]", function (el) { el.style.setProperty("--lanes", el.getAttribute("data-lanes")); });
  each("[data-lane]", function (el) { el.style.setProperty("--lane", el.getAttribute("data-lane")); });
})();
