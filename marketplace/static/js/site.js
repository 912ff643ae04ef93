// Small behaviours of the public site, bound by data attributes (the Content-Security-Policy allows no
// inline handlers):
//   <select data-autosubmit>        submits its form when the choice changes (a <noscript> button remains);
//   <form data-confirm="question">  asks before a destructive action is sent.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
