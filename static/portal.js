// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce the errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Fields shown only for some answers: hide them until the answer calls for them.
  function update(control) {
    var target = document.getElementById(control.getAttribute("data-controls"));
    if (!target) { return; }
    var group = document.querySelectorAll("input[name='" + control.name + "']");
    var show = false;
    group.forEach(function (input) {
      if (input.checked && input.getAttribute("data-controls") === target.id) { show = true; }
    });
    target.hidden = !show;
  }
  document.querySelectorAll("[data-controls]").forEach(function (control) {
    update(control);
    document.querySelectorAll("input[name='" + control.name + "']").forEach(function (input) {
      input.addEventListener("change", function () { update(control); });
    });
  });
})();
