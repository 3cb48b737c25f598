// Small progressive enhancements; every core flow works without this file.
(function () {
  "use strict";
  // Forms that should not be sent twice by a double tap.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { delete form.dataset.submitted; }, 4000);
  });
})();
