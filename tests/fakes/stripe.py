"""A fake Stripe API on 127.0.0.1, speaking Stripe's wire format: form-encoded bodies with bracketed keys
(``metadata[payment_id]=...``), JSON objects with ``object`` and ``id``, the error envelope
``{"error": {"type", "code", "message"}}``, a ``Request-Id`` on every answer, bearer secret keys, and
``Idempotency-Key`` replay (the same key answers the first result with ``Idempotent-Replayed: true``; the same
key with other parameters is an ``idempotency_error``). ``send_webhook`` posts a signed event
(``Stripe-Signature: t=...,v1=<HMAC-SHA256 of "t.payload">``) to the platform's ``/hooks/<connection id>``.

What a client does in the browser is done here by ``confirm`` (Stripe's test payment methods:
``pm_card_visa`` succeeds, ``pm_card_chargeDeclined`` is declined, ``pm_card_processing`` stays processing).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

import requests

from tests.fakes.server import FakeVendor, Reply, Request

DECLINED = "pm_card_chargeDeclined"


def _unflatten(form: dict[str, str]) -> dict[str, Any]:
    """``{"metadata[a]": "1", "expand[0]": "x"}`` -> ``{"metadata": {"a": "1"}, "expand": ["x"]}``."""
    out: dict[str, Any] = {}
    for key, value in form.items():
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    for key, value in list(out.items()):
        if isinstance(value, dict) and value and all(k.isdigit() for k in value):
            out[key] = [value[k] for k in sorted(value, key=int)]
    return out


class StripeFake(FakeVendor):
    def __init__(self) -> None:
        super().__init__()
        self.intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, tuple[dict[str, Any], Reply]] = {}
        self.captured: list[str] = []  # intents captured (a replayed capture is not a second one)
        self.canceled: list[str] = []  # subscriptions canceled through the API
        self.ids = itertools.count(1)
        self.route("GET", "/v1/balance", self.balance)
        self.route("POST", "/v1/payment_intents", self.intent_create)
        self.route("GET", r"/v1/payment_intents/(?P<id>[^/]+)", self.intent_get)
        self.route("POST", r"/v1/payment_intents/(?P<id>[^/]+)/capture", self.intent_capture)
        self.route("POST", "/v1/refunds", self.refund_create)
        self.route("GET", "/v1/refunds", self.refund_list)
        self.route("GET", "/v1/disputes", self.dispute_list)
        self.customers: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.route("POST", "/v1/customers", self.customer_create)
        self.route("POST", "/v1/products", self.product_create)
        self.route("POST", "/v1/subscriptions", self.subscription_create)
        self.route("GET", r"/v1/subscriptions/(?P<id>[^/]+)", self.subscription_get)
        self.route("DELETE", r"/v1/subscriptions/(?P<id>[^/]+)", self.subscription_cancel)
        self.route("GET", "/v1/invoices", self.invoice_list)

    # -- the wire format -------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self.ids):06d}fake"

    def _headers(self) -> dict[str, str]:
        return {"Request-Id": self._id("req"), "Stripe-Version": "2025-01-27.acacia"}

    def error(self, status: int, type_: str, message: str, code: str = "") -> Reply:
        body: dict[str, Any] = {"error": {"type": type_, "message": message}}
        if code:
            body["error"]["code"] = code
        return status, self._headers(), body

    def error_reply(self, status: int) -> Reply:
        if status == 429:
            return self.error(429, "invalid_request_error", "Too many requests.", "rate_limit")
        return self.error(status, "api_error", f"An unexpected error occurred ({status}).")

    def _auth(self, request: Request) -> Reply | None:
        auth = request.header("Authorization")
        if not (auth.startswith("Bearer sk_test_") or auth.startswith("Bearer sk_live_")):
            return self.error(401, "invalid_request_error", "Invalid API Key provided.", "api_key_invalid")
        return None

    def _params(self, request: Request) -> dict[str, Any]:
        if request.method == "GET":
            return _unflatten({k: v[-1] for k, v in request.query.items()})
        return _unflatten(request.form())

    def _idempotent(self, request: Request, make: Any) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        params = self._params(request)
        key = request.header("Idempotency-Key")
        with self.lock:
            if key and key in self.by_key:
                first_params, reply = self.by_key[key]
                if first_params != params:
                    return self.error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    )
                status, headers, body = reply
                return status, {**self._headers(), "Idempotent-Replayed": "true", "Original-Request": headers["Request-Id"]}, body
            reply = make(params)
            if key and reply[0] < 500:
                self.by_key[key] = (params, reply)
            return reply

    # -- objects --------------------------------------------------------------------------
    def _intent_view(self, intent: dict[str, Any], expand: list[str]) -> dict[str, Any]:
        view = dict(intent)
        if "latest_charge" in expand and view.get("latest_charge"):
            view["latest_charge"] = self.charges[view["latest_charge"]]
        return view

    def balance(self, request: Request) -> Reply:
        return self._auth(request) or (200, self._headers(), {"object": "balance", "livemode": False, "available": []})

    def intent_create(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            if "amount" not in p or "currency" not in p:
                return self.error(400, "invalid_request_error", "Missing required param: amount.", "parameter_missing")
            intent_id = self._id("pi")
            intent = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": int(p["amount"]),
                "amount_received": 0,
                "currency": p["currency"],
                "status": "requires_payment_method",
                "client_secret": f"{intent_id}_secret_{next(self.ids)}",
                "capture_method": p.get("capture_method", "automatic"),
                "metadata": p.get("metadata", {}),
                "automatic_payment_methods": {"enabled": p.get("automatic_payment_methods", {}).get("enabled") == "true"},
                "latest_charge": None,
                "last_payment_error": None,
                "livemode": False,
            }
            self.intents[intent_id] = intent
            return 200, self._headers(), intent

        return self._idempotent(request, make)

    def intent_get(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        intent = self.intents.get(request.params["id"])
        if intent is None:
            return self.error(
                404, "invalid_request_error", f"No such payment_intent: '{request.params['id']}'", "resource_missing"
            )
        expand = self._params(request).get("expand", [])
        return 200, self._headers(), self._intent_view(intent, expand if isinstance(expand, list) else [expand])

    def intent_capture(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            intent = self.intents[request.params["id"]]
            if intent["status"] != "requires_capture":
                return self.error(
                    400, "invalid_request_error", "This PaymentIntent could not be captured.", "payment_intent_unexpected_state"
                )
            intent["status"] = "succeeded"
            intent["amount_received"] = int(p.get("amount_to_capture", intent["amount"]))
            self.captured.append(intent["id"])
            return 200, self._headers(), intent

        return self._idempotent(request, make)

    def refund_create(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            intent = self.intents.get(p.get("payment_intent", ""))
            if intent is None or intent["status"] != "succeeded":
                return self.error(
                    400,
                    "invalid_request_error",
                    "This PaymentIntent has no successful charge to refund.",
                    "charge_not_refundable",
                )
            charge = self.charges[intent["latest_charge"]]
            amount = int(p.get("amount", charge["amount"] - charge["amount_refunded"]))
            if amount > charge["amount"] - charge["amount_refunded"]:
                return self.error(
                    400, "invalid_request_error", "Refund amount is greater than unrefunded amount on charge.", "amount_too_large"
                )
            refund = {
                "id": self._id("re"),
                "object": "refund",
                "amount": amount,
                "currency": intent["currency"],
                "charge": charge["id"],
                "payment_intent": intent["id"],
                "status": "succeeded",
                "metadata": p.get("metadata", {}),
            }
            self.refunds[refund["id"]] = refund
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            return 200, self._headers(), refund

        return self._idempotent(request, make)

    def _list(self, request: Request, items: dict[str, dict[str, Any]], url: str) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        intent_id = self._params(request).get("payment_intent")
        data = [o for o in items.values() if intent_id is None or o.get("payment_intent") == intent_id]
        return 200, self._headers(), {"object": "list", "url": url, "has_more": False, "data": data}

    def refund_list(self, request: Request) -> Reply:
        return self._list(request, self.refunds, "/v1/refunds")

    def dispute_list(self, request: Request) -> Reply:
        return self._list(request, self.disputes, "/v1/disputes")

    # -- billing: customers, products, subscriptions with inline price data, invoices -----------
    def customer_create(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            customer = {"id": self._id("cus"), "object": "customer", "email": p.get("email"), "name": p.get("name"),
                        "metadata": p.get("metadata", {})}  # fmt: skip
            self.customers[customer["id"]] = customer
            return 200, self._headers(), customer

        return self._idempotent(request, make)

    def product_create(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            if not p.get("name"):
                return self.error(400, "invalid_request_error", "Missing required param: name.", "parameter_missing")
            product = {"id": self._id("prod"), "object": "product", "name": p["name"], "active": True,
                       "metadata": p.get("metadata", {})}  # fmt: skip
            self.products[product["id"]] = product
            return 200, self._headers(), product

        return self._idempotent(request, make)

    def subscription_create(self, request: Request) -> Reply:
        def make(p: dict[str, Any]) -> Reply:
            if p.get("customer") not in self.customers:
                return self.error(400, "invalid_request_error", f"No such customer: '{p.get('customer')}'", "resource_missing")
            items = p.get("items") or []
            data = items[0].get("price_data") if items else None
            if not data or data.get("product") not in self.products or "recurring" not in data:
                return self.error(400, "invalid_request_error", "Missing required param: items[0][price].", "parameter_missing")
            now = int(time.time())
            sub_id = self._id("sub")
            price = {"id": self._id("price"), "object": "price", "currency": data["currency"], "product": data["product"],
                     "unit_amount": int(data["unit_amount"]), "recurring": {"interval": data["recurring"]["interval"]}}  # fmt: skip
            subscription = {
                "id": sub_id,
                "object": "subscription",
                "customer": p["customer"],
                "status": "incomplete",
                "metadata": p.get("metadata", {}),
                "payment_settings": p.get("payment_settings", {}),
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": self._id("si"),
                            "object": "subscription_item",
                            "price": price,
                            "current_period_start": now,
                            "current_period_end": now + self._period(price),
                        }
                    ],
                },
                "latest_invoice": None,
                "cancel_at_period_end": False,
                "canceled_at": None,
                "livemode": False,
            }
            self.subscriptions[sub_id] = subscription
            self._invoice(subscription)
            return 200, self._headers(), self._subscription_view(subscription, p.get("expand", []))

        return self._idempotent(request, make)

    def _period(self, price: dict[str, Any]) -> int:
        return 365 * 86400 if price["recurring"]["interval"] == "year" else 30 * 86400

    def _invoice(self, subscription: dict[str, Any]) -> dict[str, Any]:
        """The subscription's next invoice, open (a PaymentIntent behind it, paid by Elements or by Stripe's renewal)."""
        item = subscription["items"]["data"][0]
        intent_id = self._id("pi")
        invoice = {
            "id": self._id("in"),
            "object": "invoice",
            "status": "open",
            "customer": subscription["customer"],
            "currency": item["price"]["currency"],
            "amount_due": item["price"]["unit_amount"],
            "amount_paid": 0,
            "attempt_count": 0,
            "period_start": item["current_period_start"],
            "period_end": item["current_period_end"],
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription["id"], "metadata": subscription["metadata"]},
            },
            "_confirmation_secret": {"type": "payment_intent", "client_secret": f"{intent_id}_secret_{next(self.ids)}"},
        }
        self.invoices[invoice["id"]] = invoice
        subscription["latest_invoice"] = invoice["id"]
        return invoice

    def _invoice_view(self, invoice: dict[str, Any], expand: bool = False) -> dict[str, Any]:
        view = {k: v for k, v in invoice.items() if not k.startswith("_")}
        if expand:  # an includable field: only when asked for (expand[]=...confirmation_secret)
            view["confirmation_secret"] = invoice["_confirmation_secret"]
        return view

    def _subscription_view(self, subscription: dict[str, Any], expand: Any) -> dict[str, Any]:
        view = dict(subscription)
        expand = expand if isinstance(expand, list) else [expand]
        if any(str(e).startswith("latest_invoice") for e in expand) and view["latest_invoice"]:
            wanted = "latest_invoice.confirmation_secret" in expand
            view["latest_invoice"] = self._invoice_view(self.invoices[view["latest_invoice"]], wanted)
        return view

    def subscription_get(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        found = self.subscriptions.get(request.params["id"])
        if found is None:
            return self.error(404, "invalid_request_error", f"No such subscription: '{request.params['id']}'", "resource_missing")
        return 200, self._headers(), self._subscription_view(found, self._params(request).get("expand", []))

    def subscription_cancel(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        with self.lock:
            found = self.subscriptions.get(request.params["id"])
            if found is None or found["status"] == "canceled":
                return self.error(
                    404, "invalid_request_error", f"No such subscription: '{request.params['id']}'", "resource_missing"
                )
            found["status"], found["canceled_at"] = "canceled", int(time.time())
            self.canceled.append(found["id"])
            return 200, self._headers(), dict(found)

    def invoice_list(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        p = self._params(request)
        data = [
            self._invoice_view(i)
            for i in self.invoices.values()
            if (not p.get("subscription") or i["parent"]["subscription_details"]["subscription"] == p["subscription"])
            and (not p.get("status") or i["status"] == p["status"])
        ]
        return 200, self._headers(), {"object": "list", "url": "/v1/invoices", "has_more": False, "data": data}

    def pay_first_invoice(self, sub_id: str) -> dict[str, Any]:
        """Stripe.js confirming the first invoice's payment with a test card: the invoice is paid, the subscription
        active. The paid invoice."""
        with self.lock:
            subscription = self.subscriptions[sub_id]
            invoice = self.invoices[subscription["latest_invoice"]]
            invoice["status"], invoice["amount_paid"], invoice["attempt_count"] = "paid", invoice["amount_due"], 1
            subscription["status"] = "active"
            return self._invoice_view(invoice)

    def renew(self, sub_id: str, *, failed: bool = False) -> dict[str, Any]:
        """Stripe bills the next period: a new invoice, paid (the period moves on) or its payment failed (the
        subscription becomes past_due; Stripe retries). The invoice."""
        with self.lock:
            subscription = self.subscriptions[sub_id]
            item = subscription["items"]["data"][0]
            item["current_period_start"] = item["current_period_end"]
            item["current_period_end"] = item["current_period_start"] + self._period(item["price"])
            invoice = self._invoice(subscription)
            invoice["attempt_count"] = 1
            if failed:
                subscription["status"] = "past_due"
                item["current_period_end"], item["current_period_start"] = (
                    item["current_period_start"],
                    item["current_period_start"] - self._period(item["price"]),
                )
            else:
                invoice["status"], invoice["amount_paid"] = "paid", invoice["amount_due"]
                subscription["status"] = "active"
            return self._invoice_view(invoice)

    def subscription_object(self, sub_id: str) -> dict[str, Any]:
        return dict(self.subscriptions[sub_id])

    # -- what the buyer's browser and Stripe itself do -------------------------------------
    def confirm(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict[str, Any]:
        """Stripe.js confirming the intent with a test payment method."""
        with self.lock:
            intent = self.intents[intent_id]
            if payment_method == DECLINED:
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                }
                return intent
            if payment_method == "pm_card_processing":
                intent["status"] = "processing"
                return intent
            charge = {
                "id": self._id("ch"),
                "object": "charge",
                "amount": intent["amount"],
                "amount_refunded": 0,
                "currency": intent["currency"],
                "payment_intent": intent_id,
                "refunded": False,
                "status": "succeeded",
                "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
            }
            self.charges[charge["id"]] = charge
            intent["latest_charge"] = charge["id"]
            intent["last_payment_error"] = None
            intent["status"] = "requires_capture" if intent["capture_method"] == "manual" else "succeeded"
            intent["amount_received"] = intent["amount"] if intent["status"] == "succeeded" else 0
            return intent

    def dispute(self, intent_id: str, *, status: str = "needs_response", reason: str = "fraudulent") -> dict[str, Any]:
        """The buyer's bank opens a dispute (or, called again with a final status, closes it)."""
        with self.lock:
            intent = self.intents[intent_id]
            existing = next((d for d in self.disputes.values() if d["payment_intent"] == intent_id), None)
            if existing is not None:
                existing["status"] = status
                return existing
            dispute = {
                "id": self._id("dp"),
                "object": "dispute",
                "amount": intent["amount"],
                "currency": intent["currency"],
                "charge": intent["latest_charge"],
                "payment_intent": intent_id,
                "reason": reason,
                "status": status,
            }
            self.disputes[dispute["id"]] = dispute
            return dispute

    def event(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self._id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "type": event_type,
            "livemode": False,
            "pending_webhooks": 1,
            "data": {"object": obj},
        }

    def send_webhook(
        self, url: str, event: dict[str, Any], secret: str, *, at: float | None = None, signature: str | None = None
    ) -> requests.Response:
        """Post ``event`` to the platform as Stripe does, signed with the endpoint's secret (``at``: the timestamp)."""
        body = json.dumps(event).encode()
        header = signature if signature is not None else sign(secret, body, at)
        return requests.post(url, data=body, headers={"Content-Type": "application/json", "Stripe-Signature": header}, timeout=10)


def sign(secret: str, body: bytes, at: float | None = None) -> str:
    stamp = int(at if at is not None else time.time())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"
