// Checkout: Stripe.js's Card Element creates a PaymentMethod; our server creates and confirms the
// PaymentIntent ("finalize on the server"); 3-D Secure is completed here with confirmCardPayment.
// The order is marked paid only by Stripe's webhook: this page then waits on the return page.
(function () {
  "use strict";
  var form = document.getElementById("checkout");
  if (!form) { return; }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var button = document.getElementById("pay-button");
  var errors = document.getElementById("card-errors");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function fail(message, attempt) {
    errors.textContent = message || form.dataset.errorGeneric;
    if (attempt) { form.dataset.attempt = attempt; }
    button.disabled = false;
  }

  async function submitToServer(paymentMethodId) {
    var body = new URLSearchParams({payment_method: paymentMethodId, attempt: form.dataset.attempt});
    var response = await fetch(form.dataset.submitUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}, body: body
    });
    return response.json();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (button.disabled) { return; }  // a double click sends one request; the server would reuse the intent anyway
    button.disabled = true;
    errors.textContent = "";
    try {
      var created = await stripe.createPaymentMethod({type: "card", card: card});
      if (!created || created.error) { return fail(created && created.error && created.error.message); }
      var result = await submitToServer(created.paymentMethod.id);
      if (result.status === "requires_action") {
        var confirmed = await stripe.confirmCardPayment(result.client_secret);
        if (confirmed.error) { return fail(confirmed.error.message, result.attempt); }  // retry = new attempt
        window.location.assign(result.next);
        return;
      }
      if (result.status === "processing" || result.status === "succeeded" || result.status === "refused") {
        window.location.assign(result.next);
        return;
      }
      fail(result.message, result.attempt);
    } catch (err) {
      fail(null);
    }
  });
})();
