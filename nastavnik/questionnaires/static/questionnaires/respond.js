// Shows a conditional question only when the answer it depends on is given. The server
// decides the same on its own (a hidden question's answer is dropped), so without this script
// every question shows, with its condition written next to it.
(function () {
  "use strict";
  var form = document.querySelector(".questionnaire-form");
  if (!form) return;
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));

  function chosen(code) {
    var inputs = form.querySelectorAll('[name="q-' + code + '"]');
    var values = [];
    Array.prototype.forEach.call(inputs, function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update() {
    var shown = {};
    fields.forEach(function (field) {
      var code = field.getAttribute("data-question");
      var source = field.getAttribute("data-show-if");
      var visible = true;
      if (source) {
        var wanted = JSON.parse(field.getAttribute("data-show-values") || "[]");
        visible = !!shown[source] && chosen(source).some(function (v) {
          return wanted.indexOf(v) !== -1;
        });
      }
      field.hidden = !visible;
      shown[code] = visible;
    });
  }

  form.querySelectorAll(".condition").forEach(function (note) { note.hidden = true; });
  form.addEventListener("change", update);
  update();
})();
