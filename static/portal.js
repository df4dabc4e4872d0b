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

  // Quick exit: blank the page at once and replace this history entry with the neutral page,
  // so Back does not bring it up again; three presses of Shift in a row do the same.
  var exitLink = document.querySelector("a.quick-exit");
  if (exitLink) {
    var exitTo = exitLink.href;
    var leave = function () {
      document.documentElement.classList.add("exiting");
      document.title = "";
      document.body.textContent = "";
      window.location.replace(exitTo);
    };
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var shifts = 0;
    var lastShift = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") { shifts = 0; return; }
      if (event.repeat) { return; }
      var now = Date.now();
      shifts = now - lastShift < 2000 ? shifts + 1 : 1;  // each within 2 s of the one before
      lastShift = now;
      if (shifts === 3) { leave(); }
    });
    var hint = document.querySelector("[data-quick-exit-hint]");
    if (hint) { hint.hidden = false; }
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
