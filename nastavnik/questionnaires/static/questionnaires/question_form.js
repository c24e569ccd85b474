// Shows only the settings that the chosen question type uses. Without this script every
// setting shows, and the server ignores those the type does not use.
(function () {
  "use strict";
  var type = document.getElementById("id_type");
  if (!type) return;
  var uses = {
    choices: ["single", "multiple"],
    min_value: ["scale", "number"],
    max_value: ["scale", "number"],
    integer_only: ["number"],
    pool: ["ranking"],
    rank_count: ["ranking"]
  };
  function update() {
    Object.keys(uses).forEach(function (name) {
      var input = document.getElementById("id_" + name);
      var field = input && input.closest(".field");
      if (field) field.hidden = uses[name].indexOf(type.value) === -1;
    });
  }
  type.addEventListener("change", update);
  update();
})();
