// The hosted checkout: Stripe's Payment Element for the intent named on the form (no inline script: CSP).
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("payment-form");
    if (!form) return;
    var message = document.getElementById("payment-message");
    function show(text) {
      message.textContent = text;
      message.hidden = false;
    }
    if (typeof window.Stripe !== "function") {
      show("The payment form could not be loaded. Check your connection and reload the page.");
      return;
    }
    var stripe = window.Stripe(form.dataset.publishableKey);
    var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
    elements.create("payment").mount("#payment-element");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = document.getElementById("submit");
      button.disabled = true;
      stripe
        .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
        .then(function (result) {
          if (result.error) {
            show(result.error.message);
            button.disabled = false;
          }
        });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
