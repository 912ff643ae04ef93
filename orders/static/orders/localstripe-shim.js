// Development and tests only (loaded when STRIPE_API_BASE points at localstripe, never in production):
// localstripe's fake Stripe.js leaves createPaymentMethod empty, so this shim implements it by asking our
// server, which creates the PaymentMethod on localstripe with test card details.
(function () {
  "use strict";
  var FakeStripe = window.Stripe;
  var form = document.getElementById("checkout");
  window.Stripe = function (key) {
    var instance = FakeStripe(key);
    instance.createPaymentMethod = async function (options) {
      var value = (options.card && options.card.value && options.card.value.card) || {};
      var response = await fetch(form.dataset.testPmUrl, {
        method: "POST", credentials: "same-origin",
        headers: {
          "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
          "Content-Type": "application/x-www-form-urlencoded"
        },
        body: new URLSearchParams({
          number: value.number || "", exp_month: value.exp_month || "", exp_year: value.exp_year || "", cvc: value.cvc || ""
        })
      });
      return response.json();
    };
    return instance;
  };
})();
