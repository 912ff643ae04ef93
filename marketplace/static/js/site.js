// Small behaviours of the public site, bound by data attributes (the Content-Security-Policy allows no
// inline handlers):
//   <select data-autosubmit>        submits its form when the choice changes (a <noscript> button remains);
//   <details data-open-wide>        starts open on screens wider than a phone (search filters), also after
//                                   htmx swaps new results in.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });
  var wide = window.matchMedia("(min-width: 801px)");
  function openWide() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.open = wide.matches;
    });
  }
  document.addEventListener("DOMContentLoaded", openWide);
  document.addEventListener("htmx:afterSettle", openWide);
  wide.addEventListener("change", openWide);
})();
