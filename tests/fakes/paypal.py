"""A fake PayPal: the REST API's documented wire format (OAuth 2.0 client credentials, Orders v2, Payments v2,
webhook signature verification, Subscriptions v1) and the legacy IPN postback, over real HTTP on 127.0.0.1.

What it keeps to, from PayPal's API reference:
- ``POST /v1/oauth2/token``: HTTP Basic client id / secret, form ``grant_type=client_credentials``; answers
  ``{"access_token", "token_type": "Bearer", "expires_in", ...}`` or 401 ``{"error": "invalid_client", ...}``.
  Every other API path wants ``Authorization: Bearer <token>`` (401 ``invalid_token`` otherwise).
- Errors are PayPal's envelope ``{"name", "message", "debug_id", "details": [{"issue", "description"}]}``; every
  answer carries a ``Paypal-Debug-Id`` header.
- ``PayPal-Request-Id`` on a POST: the same id answers the first result again and does nothing twice.
- Amounts are ``{"currency_code", "value"}`` with the value a string with the currency's decimals (none for
  HUF, JPY, TWD: ``DECIMAL_PRECISION`` otherwise).
- Orders: ``intent`` CAPTURE or AUTHORIZE; ``payment_source.paypal.experience_context`` makes the order
  ``PAYER_ACTION_REQUIRED`` with a ``payer-action`` link, ``application_context`` makes it ``CREATED`` with an
  ``approve`` link. ``GET /checkoutnow?token=`` is the buyer's approval page: it approves and redirects to the
  return URL with ``token`` and ``PayerID`` (``&cancel=1`` redirects to the cancel URL instead); tests may call
  ``approve`` directly. Capturing or authorizing an order that is not approved: 422 ``ORDER_NOT_APPROVED``.
- Webhooks: ``notify`` builds an event and its transmission headers (``PAYPAL-TRANSMISSION-ID``, ``-TIME``,
  ``-SIG``, ``PAYPAL-CERT-URL``, ``PAYPAL-AUTH-ALGO``); ``/v1/notifications/verify-webhook-signature`` answers
  ``SUCCESS`` only for headers the fake signed over that event and that webhook id, ``FAILURE`` otherwise.
- IPN: ``ipn`` builds a message the fake "sent"; ``POST /cgi-bin/webscr`` with ``cmd=_notify-validate&`` and the
  exact original body answers ``VERIFIED``, anything else ``INVALID``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import secrets
import urllib.parse
import zlib
from decimal import Decimal
from typing import Any

from tests.fakes.server import FakeVendor, Reply, Request

ZERO_DECIMAL = {"HUF", "JPY", "TWD"}
CLIENT_ID = "AYfake-client-id"
CLIENT_SECRET = "EFfake-client-secret"
WEBHOOK_ID = "8PT597110X687430LKGECATA"
_SIGNING_KEY = b"the fake's private key"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(event: Any) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


class PayPalFake(FakeVendor):
    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET, webhook_id: str = WEBHOOK_ID):
        super().__init__()
        self.client_id, self.client_secret, self.webhook_id = client_id, client_secret, webhook_id
        self.expires_in = 32400
        self.tokens: set[str] = set()
        self.orders: dict[str, dict[str, Any]] = {}
        self.captures: dict[str, dict[str, Any]] = {}
        self.authorizations: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.ipn_sent: set[bytes] = set()
        self.replays: dict[tuple[str, str], Reply] = {}
        self.capture_status = "COMPLETED"  # what the next captures end in (DECLINED, PENDING to test those)
        # The next this many captures or authorizations of an order fail on the buyer's funding source: 422
        # UNPROCESSABLE_ENTITY, issue INSTRUMENT_DECLINED, and the order waits for the buyer to approve again.
        self.decline_instrument = 0
        self._ids = itertools.count(1)
        self.route("POST", "/v1/oauth2/token", self.token)
        self.route("POST", "/v2/checkout/orders", self.order_create)
        self.route("GET", r"/v2/checkout/orders/(?P<id>[^/]+)", self.order_get)
        self.route("POST", r"/v2/checkout/orders/(?P<id>[^/]+)/capture", self.order_capture)
        self.route("POST", r"/v2/checkout/orders/(?P<id>[^/]+)/authorize", self.order_authorize)
        self.route("GET", r"/v2/payments/authorizations/(?P<id>[^/]+)", self.authorization_get)
        self.route("POST", r"/v2/payments/authorizations/(?P<id>[^/]+)/capture", self.authorization_capture)
        self.route("POST", r"/v2/payments/authorizations/(?P<id>[^/]+)/void", self.authorization_void)
        self.route("GET", r"/v2/payments/captures/(?P<id>[^/]+)", self.capture_get)
        self.route("POST", r"/v2/payments/captures/(?P<id>[^/]+)/refund", self.capture_refund)
        self.route("GET", r"/v2/payments/refunds/(?P<id>[^/]+)", self.refund_get)
        self.route("POST", "/v1/notifications/verify-webhook-signature", self.verify_webhook_signature)
        self.route("POST", "/v1/catalogs/products", self.product_create)
        self.route("POST", "/v1/billing/plans", self.plan_create)
        self.route("GET", r"/v1/billing/plans/(?P<id>[^/]+)", self.plan_get)
        self.route("POST", "/v1/billing/subscriptions", self.subscription_create)
        self.route("GET", r"/v1/billing/subscriptions/(?P<id>[^/]+)", self.subscription_get)
        self.route("POST", r"/v1/billing/subscriptions/(?P<id>[^/]+)/cancel", self.subscription_cancel)
        self.route("GET", r"/v1/billing/subscriptions/(?P<id>[^/]+)/transactions", self.subscription_transactions)
        self.route("GET", "/checkoutnow", self.checkout_page)
        self.route("GET", "/webapps/billing/subscriptions", self.subscription_page)
        self.route("POST", "/cgi-bin/webscr", self.ipn_validate)

    # -- plumbing ------------------------------------------------------------------------------
    def _id(self, prefix: str, length: int = 17) -> str:
        number = next(self._ids)
        return f"{prefix}{number:0{length - len(prefix)}d}"

    def debug_id(self) -> str:
        return secrets.token_hex(7)

    def problem(self, status: int, name: str, message: str, issue: str = "", description: str = "") -> Reply:
        body: dict[str, Any] = {"name": name, "message": message, "debug_id": self.debug_id()}
        if issue:
            body["details"] = [{"issue": issue, "description": description or message}]
        return status, {"Paypal-Debug-Id": body["debug_id"]}, body

    def error_reply(self, status: int) -> Reply:
        names = {404: "RESOURCE_NOT_FOUND", 429: "RATE_LIMIT_REACHED", 503: "SERVICE_UNAVAILABLE"}
        return self.problem(status, names.get(status, "INTERNAL_SERVER_ERROR"), f"An error occurred ({status}).")

    def ok(self, status: int, body: Any) -> Reply:
        return status, {"Paypal-Debug-Id": self.debug_id()}, body

    def dispatch(self, request: Request) -> Reply:
        """Authentication and PayPal-Request-Id replays around every route."""
        open_paths = ("/v1/oauth2/token", "/cgi-bin/webscr", "/checkoutnow", "/webapps/billing/subscriptions")
        if request.path not in open_paths:
            token = request.header("Authorization").removeprefix("Bearer ")
            if token not in self.tokens:
                with self.lock:
                    self.requests.append(request)
                return (
                    401,
                    {"Paypal-Debug-Id": self.debug_id()},
                    {
                        "error": "invalid_token",
                        "error_description": "Token signature verification failed",
                    },
                )
        key = request.header("PayPal-Request-Id")
        if request.method == "POST" and key:
            with self.lock:
                replay = self.replays.get((request.path, key))
            if replay is not None:
                with self.lock:
                    self.requests.append(request)
                return replay
        reply = super().dispatch(request)
        if request.method == "POST" and key and reply[0] < 500:
            with self.lock:
                self.replays.setdefault((request.path, key), reply)
        return reply

    def amount_problem(self, amount: Any) -> Reply | None:
        if not isinstance(amount, dict) or "value" not in amount or "currency_code" not in amount:
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "MISSING_REQUIRED_PARAMETER")
        value = str(amount["value"])
        places = 0 if amount["currency_code"] in ZERO_DECIMAL else 2
        whole, _, fraction = value.partition(".")
        if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) != (places if fraction else 0):
            return self.problem(
                422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "DECIMAL_PRECISION",
                f"{amount['currency_code']} takes {places} decimals.",
            )  # fmt: skip
        return None

    # -- OAuth ---------------------------------------------------------------------------------
    def token(self, request: Request) -> Reply:
        auth = request.header("Authorization")
        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if auth != expected:
            return (
                401,
                {"Paypal-Debug-Id": self.debug_id()},
                {
                    "error": "invalid_client",
                    "error_description": "Client Authentication failed",
                },
            )
        if request.form().get("grant_type") != "client_credentials":
            return 400, {}, {"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"}
        token = "A21AA" + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return self.ok(
            200,
            {
                "scope": "https://uri.paypal.com/services/payments/payment",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": self.expires_in,
                "nonce": f"{_now()}{secrets.token_hex(8)}",
            },
        )

    def revoke_tokens(self) -> None:
        """Every token issued so far stops working (PayPal expired them)."""
        self.tokens.clear()

    def token_requests(self) -> int:
        return len(self.calls("POST", "/v1/oauth2/token"))

    # -- orders --------------------------------------------------------------------------------
    def _link(self, href: str, rel: str, method: str = "GET") -> dict[str, str]:
        return {"href": href, "rel": rel, "method": method}

    def order_create(self, request: Request) -> Reply:
        body = request.json() or {}
        intent = body.get("intent")
        if intent not in ("CAPTURE", "AUTHORIZE"):
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "INVALID_PARAMETER_VALUE")
        units = body.get("purchase_units") or []
        if not units:
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "MISSING_REQUIRED_PARAMETER")
        for unit in units:
            problem = self.amount_problem(unit.get("amount"))
            if problem:
                return problem
        experience = ((body.get("payment_source") or {}).get("paypal") or {}).get("experience_context")
        context = experience or body.get("application_context") or {}
        order_id = self._id("5O", 17)
        approve = f"{self.url}/checkoutnow?token={order_id}"
        order = {
            "id": order_id,
            "intent": intent,
            "status": "PAYER_ACTION_REQUIRED" if experience else "CREATED",
            "purchase_units": [{"reference_id": u.get("reference_id", "default"), **u} for u in units],
            "create_time": _now(),
            "links": [
                self._link(f"{self.url}/v2/checkout/orders/{order_id}", "self"),
                self._link(approve, "payer-action" if experience else "approve"),
            ],
            "_return_url": context.get("return_url", ""),
            "_cancel_url": context.get("cancel_url", ""),
        }
        with self.lock:
            self.orders[order_id] = order
        return self.ok(201, self.render_order(order))

    def _public(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    def render_order(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order as PayPal shows it now: each unit's captures, authorizations and refunds in their current state."""
        shown = self._public(order)
        units = []
        for unit in order["purchase_units"]:
            payments: dict[str, list[dict[str, Any]]] = {}
            capture_ids = unit.get("_captures", [])
            if capture_ids:
                payments["captures"] = [self._public(self.captures[i]) for i in capture_ids]
            if unit.get("_authorizations"):
                payments["authorizations"] = [self._public(self.authorizations[i]) for i in unit["_authorizations"]]
            refunds = [self._public(r) for r in self.refunds.values() if r["_capture"] in capture_ids]
            if refunds:
                payments["refunds"] = refunds
            shown_unit = self._public(unit)
            if payments:
                shown_unit["payments"] = payments
            units.append(shown_unit)
        shown["purchase_units"] = units
        return shown

    def _order(self, order_id: str) -> dict[str, Any] | None:
        return self.orders.get(order_id)

    def _not_found(self) -> Reply:
        return self.problem(
            404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.", "INVALID_RESOURCE_ID",
            "Specified resource ID does not exist. Please check the resource ID and try again.",
        )  # fmt: skip

    def order_get(self, request: Request) -> Reply:
        order = self._order(request.params["id"])
        return self._not_found() if order is None else self.ok(200, self.render_order(order))

    def approve(self, order_id: str, *, payer_id: str = "QYR5Z8XDVJNXQ") -> str:
        """The buyer approves the order at PayPal; the URL PayPal sends them back to."""
        order = self.orders[order_id]
        if order["status"] in ("CREATED", "PAYER_ACTION_REQUIRED"):
            order["status"] = "APPROVED"
            order["payer"] = {
                "payer_id": payer_id,
                "email_address": "buyer@example.com",
                "name": {"given_name": "Ada", "surname": "Buyer"},
            }
            order["payment_source"] = {"paypal": {"account_id": payer_id, "email_address": "buyer@example.com"}}
        query = urllib.parse.urlencode({"token": order_id, "PayerID": payer_id})
        return f"{order['_return_url']}{'&' if '?' in order['_return_url'] else '?'}{query}"

    def cancel_url(self, order_id: str) -> str:
        order = self.orders[order_id]
        query = urllib.parse.urlencode({"token": order_id})
        return f"{order['_cancel_url']}{'&' if '?' in order['_cancel_url'] else '?'}{query}"

    def checkout_page(self, request: Request) -> Reply:
        order_id = (request.query.get("token") or [""])[0]
        if order_id not in self.orders:
            return self._not_found()
        target = self.cancel_url(order_id) if request.query.get("cancel") else self.approve(order_id)
        return 302, {"Location": target, "Content-Type": "text/html"}, b""

    def _capture(self, amount: dict[str, str], unit: dict[str, Any], order_id: str, final: bool = True) -> dict[str, Any]:
        capture_id = self._id("3C", 17)
        status = self.capture_status
        capture = {
            "id": capture_id,
            "status": status,
            "amount": dict(amount),
            "final_capture": final,
            "seller_protection": {"status": "ELIGIBLE"},
            "invoice_id": unit.get("invoice_id", ""),
            "custom_id": unit.get("custom_id", ""),
            "create_time": _now(),
            "update_time": _now(),
            "supplementary_data": {"related_ids": {"order_id": order_id}},
            "links": [
                self._link(f"{self.url}/v2/payments/captures/{capture_id}", "self"),
                self._link(f"{self.url}/v2/payments/captures/{capture_id}/refund", "refund", "POST"),
                self._link(f"{self.url}/v2/checkout/orders/{order_id}", "up"),
            ],
            "_refunded": "0",
        }
        if status == "DECLINED":
            capture["status_details"] = {"reason": "DECLINED_BY_RISK_FRAUD_FILTERS"}
        if status == "PENDING":
            capture["status_details"] = {"reason": "PENDING_REVIEW"}
        self.captures[capture_id] = capture
        return capture

    def _instrument_declined(self, order: dict[str, Any]) -> Reply | None:
        if not self.decline_instrument:
            return None
        self.decline_instrument -= 1
        order["status"] = "PAYER_ACTION_REQUIRED"  # the payer has to choose another funding source
        return self.problem(
            422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed, semantically incorrect, or failed business validation.",
            "INSTRUMENT_DECLINED", "The instrument presented was either declined by the processor or bank, or it can't be used for this payment.",
        )  # fmt: skip

    def _unapproved(self, order: dict[str, Any]) -> Reply | None:
        if order["status"] == "COMPLETED":
            return self.problem(
                422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "ORDER_ALREADY_CAPTURED",
                "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.",
            )  # fmt: skip
        if order["status"] != "APPROVED":
            return self.problem(
                422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            )  # fmt: skip
        return None

    def order_capture(self, request: Request) -> Reply:
        with self.lock:
            order = self._order(request.params["id"])
            if order is None:
                return self._not_found()
            if order["intent"] != "CAPTURE":
                return self.problem(422, "UNPROCESSABLE_ENTITY", "Action not allowed.", "ACTION_DOES_NOT_MATCH_INTENT")
            problem = self._unapproved(order) or self._instrument_declined(order)
            if problem:
                return problem
            for unit in order["purchase_units"]:
                capture = self._capture(unit["amount"], unit, order["id"])
                unit["_captures"] = [capture["id"]]
            order["status"] = "COMPLETED"
            return self.ok(201, self.render_order(order))

    def order_authorize(self, request: Request) -> Reply:
        with self.lock:
            order = self._order(request.params["id"])
            if order is None:
                return self._not_found()
            if order["intent"] != "AUTHORIZE":
                return self.problem(422, "UNPROCESSABLE_ENTITY", "Action not allowed.", "ACTION_DOES_NOT_MATCH_INTENT")
            problem = self._unapproved(order) or self._instrument_declined(order)
            if problem:
                return problem
            for unit in order["purchase_units"]:
                auth_id = self._id("0A", 17)
                authorization = {
                    "id": auth_id,
                    "status": "CREATED",
                    "amount": dict(unit["amount"]),
                    "invoice_id": unit.get("invoice_id", ""),
                    "custom_id": unit.get("custom_id", ""),
                    "expiration_time": (dt.datetime.now(dt.UTC) + dt.timedelta(days=29)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "supplementary_data": {"related_ids": {"order_id": order["id"]}},
                    "links": [self._link(f"{self.url}/v2/payments/authorizations/{auth_id}", "self")],
                    "_unit": unit,
                }
                self.authorizations[auth_id] = authorization
                unit["_authorizations"] = [auth_id]
            order["status"] = "COMPLETED"
            return self.ok(201, self.render_order(order))

    def authorization_get(self, request: Request) -> Reply:
        found = self.authorizations.get(request.params["id"])
        return self._not_found() if found is None else self.ok(200, self._public(found))

    def authorization_capture(self, request: Request) -> Reply:
        with self.lock:
            authorization = self.authorizations.get(request.params["id"])
            if authorization is None:
                return self._not_found()
            if authorization["status"] != "CREATED":
                return self.problem(
                    422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.",
                    "AUTHORIZATION_ALREADY_CAPTURED", "Authorization has been previously captured.",
                )  # fmt: skip
            body = request.json() or {}
            amount = body.get("amount") or authorization["amount"]
            problem = self.amount_problem(amount)
            if problem:
                return problem
            unit = authorization["_unit"]
            order_id = authorization["supplementary_data"]["related_ids"]["order_id"]
            capture = self._capture(amount, unit, order_id, final=body.get("final_capture", True))
            capture["links"].append(self._link(f"{self.url}/v2/payments/authorizations/{authorization['id']}", "up"))
            authorization["status"] = "CAPTURED"
            unit.setdefault("_captures", []).append(capture["id"])
            return self.ok(201, self._public(capture))

    def authorization_void(self, request: Request) -> Reply:
        with self.lock:
            authorization = self.authorizations.get(request.params["id"])
            if authorization is None:
                return self._not_found()
            if authorization["status"] != "CREATED":
                return self.problem(422, "UNPROCESSABLE_ENTITY", "Cannot void.", "PREVIOUSLY_CAPTURED")
            authorization["status"] = "VOIDED"
            return 204, {"Paypal-Debug-Id": self.debug_id()}, b""

    # -- captures and refunds ----------------------------------------------------------------------
    def capture_get(self, request: Request) -> Reply:
        found = self.captures.get(request.params["id"])
        return self._not_found() if found is None else self.ok(200, self._public(found))

    def capture_refund(self, request: Request) -> Reply:
        with self.lock:
            capture = self.captures.get(request.params["id"])
            if capture is None:
                return self._not_found()
            if capture["status"] not in ("COMPLETED", "PARTIALLY_REFUNDED"):
                issue = "CAPTURE_FULLY_REFUNDED" if capture["status"] == "REFUNDED" else "INVALID_RESOURCE_ID"
                return self.problem(422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", issue)
            body = request.json() or {}
            total, refunded = Decimal(capture["amount"]["value"]), Decimal(capture["_refunded"])
            places = 0 if capture["amount"]["currency_code"] in ZERO_DECIMAL else 2
            amount = body.get("amount") or {
                "currency_code": capture["amount"]["currency_code"],
                "value": f"{total - refunded:.{places}f}",
            }
            problem = self.amount_problem(amount)
            if problem:
                return problem
            if amount["currency_code"] != capture["amount"]["currency_code"]:
                return self.problem(422, "UNPROCESSABLE_ENTITY", "Currency mismatch.", "REFUND_CURRENCY_MISMATCH")
            value = Decimal(amount["value"])
            if value <= 0 or refunded + value > total:
                return self.problem(
                    422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "REFUND_AMOUNT_EXCEEDED",
                    "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
                )  # fmt: skip
            refund_id = self._id("1R", 17)
            refund = {
                "id": refund_id,
                "status": "COMPLETED",
                "amount": dict(amount),
                "invoice_id": body.get("invoice_id", capture["invoice_id"]),
                "note_to_payer": body.get("note_to_payer", ""),
                "custom_id": body.get("custom_id", ""),
                "create_time": _now(),
                "links": [
                    self._link(f"{self.url}/v2/payments/refunds/{refund_id}", "self"),
                    self._link(f"{self.url}/v2/payments/captures/{capture['id']}", "up"),
                ],
                "_capture": capture["id"],
            }
            self.refunds[refund_id] = refund
            capture["_refunded"] = str(refunded + value)
            capture["status"] = "REFUNDED" if refunded + value == total else "PARTIALLY_REFUNDED"
            return self.ok(201, self._public(refund))

    def refund_get(self, request: Request) -> Reply:
        found = self.refunds.get(request.params["id"])
        return self._not_found() if found is None else self.ok(200, self._public(found))

    # -- webhooks ------------------------------------------------------------------------------
    def _signature(self, transmission_id: str, time: str, webhook_id: str, event: Any) -> str:
        message = f"{transmission_id}|{time}|{webhook_id}|{zlib.crc32(_canonical(event))}".encode()
        return base64.b64encode(hmac.new(_SIGNING_KEY, message, hashlib.sha256).digest()).decode()

    def notify(
        self, event_type: str, resource: dict[str, Any], *, event_id: str = "", resource_type: str = ""
    ) -> tuple[bytes, dict[str, str]]:
        """A webhook event PayPal would send now: its body and transmission headers (signed for this webhook id)."""
        event = {
            "id": event_id or f"WH-{secrets.token_hex(8).upper()}-{secrets.token_hex(8).upper()}",
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": resource_type or event_type.split(".")[1].lower(),
            "resource_version": "2.0",
            "event_type": event_type,
            "summary": f"{event_type} happened",
            "resource": self._public(resource),
            "links": [],
        }
        transmission_id, time = secrets.token_hex(16), _now()
        headers = {
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": time,
            "PAYPAL-TRANSMISSION-SIG": self._signature(transmission_id, time, self.webhook_id, event),
            "PAYPAL-CERT-URL": f"{self.url}/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }
        return json.dumps(event).encode(), headers

    def verify_webhook_signature(self, request: Request) -> Reply:
        body = request.json() or {}
        required = ("auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time", "webhook_id")
        missing = [name for name in (*required, "webhook_event") if not body.get(name)]
        if missing:
            return self.problem(
                400, "VALIDATION_ERROR", "Invalid request - see details.", "MISSING_REQUIRED_FIELD", f"{missing[0]} is required"
            )
        expected = self._signature(body["transmission_id"], body["transmission_time"], self.webhook_id, body["webhook_event"])
        good = (
            body["webhook_id"] == self.webhook_id
            and body["auth_algo"] == "SHA256withRSA"
            and body["cert_url"].startswith(self.url)
            and hmac.compare_digest(expected, body["transmission_sig"])
        )
        return self.ok(200, {"verification_status": "SUCCESS" if good else "FAILURE"})

    # -- IPN -----------------------------------------------------------------------------------
    def ipn(self, **fields: str) -> bytes:
        """An IPN message PayPal would post now (form-encoded, windows-1252 as PayPal's default charset)."""
        message = {
            "mc_gross": "0.00",
            "protection_eligibility": "Eligible",
            "payer_id": "QYR5Z8XDVJNXQ",
            "payment_date": dt.datetime.now(dt.UTC).strftime("%H:%M:%S %b %d, %Y GMT"),
            "payment_status": "Completed",
            "charset": "windows-1252",
            "notify_version": "3.9",
            "txn_type": "express_checkout",
            "ipn_track_id": secrets.token_hex(6),
            **fields,
        }
        body = urllib.parse.urlencode(message, encoding="cp1252").encode()
        with self.lock:
            self.ipn_sent.add(body)
        return body

    def ipn_validate(self, request: Request) -> Reply:
        prefix = b"cmd=_notify-validate&"
        valid = request.body.startswith(prefix) and request.body[len(prefix) :] in self.ipn_sent
        return 200, {"Content-Type": "text/plain"}, b"VERIFIED" if valid else b"INVALID"

    # -- subscriptions -------------------------------------------------------------------------
    def product_create(self, request: Request) -> Reply:
        body = request.json() or {}
        if not body.get("name"):
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "MISSING_REQUIRED_PARAMETER")
        product = {"id": self._id("PROD-", 18), "name": body["name"], "type": body.get("type", "SERVICE")}
        self.products[product["id"]] = product
        return self.ok(201, product)

    def plan_create(self, request: Request) -> Reply:
        body = request.json() or {}
        if body.get("product_id") not in self.products or not body.get("billing_cycles"):
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "INVALID_PARAMETER_VALUE")
        for cycle in body["billing_cycles"]:
            problem = self.amount_problem((cycle.get("pricing_scheme") or {}).get("fixed_price"))
            if problem:
                return problem
        plan = {"id": self._id("P-", 26), "status": "ACTIVE", **body, "create_time": _now()}
        self.plans[plan["id"]] = plan
        return self.ok(201, plan)

    def plan_get(self, request: Request) -> Reply:
        found = self.plans.get(request.params["id"])
        return self._not_found() if found is None else self.ok(200, found)

    def subscription_create(self, request: Request) -> Reply:
        body = request.json() or {}
        plan = self.plans.get(body.get("plan_id", ""))
        if plan is None:
            return self.problem(422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "INVALID_PLAN")
        sub_id = self._id("I-", 14)
        context = body.get("application_context") or {}
        subscription = {
            "id": sub_id,
            "plan_id": plan["id"],
            "status": "APPROVAL_PENDING",
            "custom_id": body.get("custom_id", ""),
            "quantity": body.get("quantity", "1"),
            "create_time": _now(),
            "links": [
                self._link(f"{self.url}/webapps/billing/subscriptions?ba_token=BA-{sub_id}", "approve"),
                self._link(f"{self.url}/v1/billing/subscriptions/{sub_id}", "self"),
            ],
            "_return_url": context.get("return_url", ""),
            "_cancel_url": context.get("cancel_url", ""),
        }
        self.subscriptions[sub_id] = subscription
        return self.ok(201, self._public(subscription))

    def subscription_get(self, request: Request) -> Reply:
        found = self.subscriptions.get(request.params["id"])
        return self._not_found() if found is None else self.ok(200, self._public(found))

    def subscription_cancel(self, request: Request) -> Reply:
        found = self.subscriptions.get(request.params["id"])
        if found is None:
            return self._not_found()
        if found["status"] not in ("ACTIVE", "SUSPENDED"):
            return self.problem(422, "UNPROCESSABLE_ENTITY", "Cannot cancel.", "SUBSCRIPTION_STATUS_INVALID")
        found["status"] = "CANCELLED"
        return 204, {"Paypal-Debug-Id": self.debug_id()}, b""

    def subscription_transactions(self, request: Request) -> Reply:
        found = self.subscriptions.get(request.params["id"])
        if found is None:
            return self._not_found()
        if not request.query.get("start_time") or not request.query.get("end_time"):
            return self.problem(400, "INVALID_REQUEST", "Request is not well-formed.", "MISSING_REQUIRED_PARAMETER")
        listed = list(found.get("_transactions", []))
        return self.ok(200, {"transactions": listed, "total_items": len(listed), "total_pages": 1, "links": []})

    def approve_subscription(self, sub_id: str) -> str:
        """The subscriber approves; the first cycle is billed. The URL PayPal sends them back to."""
        subscription = self.subscriptions[sub_id]
        if subscription["status"] == "APPROVAL_PENDING":
            subscription["status"] = "ACTIVE"
            subscription["subscriber"] = {"email_address": "buyer@example.com", "payer_id": "QYR5Z8XDVJNXQ"}
            self.bill(sub_id)
        query = urllib.parse.urlencode({"subscription_id": sub_id, "ba_token": f"BA-{sub_id}", "token": sub_id})
        url = subscription["_return_url"]
        return f"{url}{'&' if '?' in url else '?'}{query}"

    def bill(self, sub_id: str, *, failed: bool = False) -> dict[str, Any]:
        """One billing cycle of the subscription: its payment (a sale) or a failure; the sale's resource."""
        subscription = self.subscriptions[sub_id]
        plan = self.plans[subscription["plan_id"]]
        price = plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"]
        info = subscription.setdefault(
            "billing_info",
            {"outstanding_balance": {**price, "value": "0.00"}, "cycle_executions": [], "failed_payments_count": 0},
        )
        sale = {
            "id": self._id("8S", 17),
            "state": "completed",
            "amount": {"total": price["value"], "currency": price["currency_code"]},
        }
        if failed:
            info["failed_payments_count"] += 1
            info["last_failed_payment"] = {"amount": dict(price), "time": _now(), "reason_code": "PAYMENT_DENIED"}
            sale["state"] = "denied"
        else:
            info["failed_payments_count"] = 0  # PayPal counts consecutive failures
            info["last_payment"] = {"amount": dict(price), "time": _now()}
        subscription.setdefault("_transactions", []).append(
            {
                "id": sale["id"],
                "status": "DECLINED" if failed else "COMPLETED",
                "amount_with_breakdown": {"gross_amount": dict(price), "net_amount": dict(price)},
                "payer_email": "buyer@example.com",
                "time": _now(),
            }
        )
        info["next_billing_time"] = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        sale["billing_agreement_id"] = sub_id
        sale["custom"] = subscription["custom_id"]
        return sale

    def subscription_page(self, request: Request) -> Reply:
        token = (request.query.get("ba_token") or [""])[0].removeprefix("BA-")
        if token not in self.subscriptions:
            return self._not_found()
        return 302, {"Location": self.approve_subscription(token), "Content-Type": "text/html"}, b""
