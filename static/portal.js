// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce the errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Questions shown only for some answers: hidden until the answer calls for them.
  // Without JavaScript they all stay visible and the server ignores the ones that don't apply.
  var blocks = document.querySelectorAll("[data-show-when]");
  function refresh() {
    blocks.forEach(function (block) {
      var name = block.getAttribute("data-show-when");
      var wanted = block.getAttribute("data-show-values").split(" ");
      var checked = document.querySelector("input[name='" + name + "']:checked");
      block.hidden = !(checked && wanted.indexOf(checked.value) !== -1);
    });
  }
  if (blocks.length) {
    document.addEventListener("change", refresh);
    refresh();
  }

  // "Copy the link" buttons: shown only where the browser can copy; the link stays
  // selectable by hand without them.
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      var done = button.parentNode.querySelector("[data-copy-done]");
      if (!target) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.href || target.textContent).then(function () {
          if (done) { done.textContent = done.getAttribute("data-copy-done"); }
        });
      });
    });
  }
})();
