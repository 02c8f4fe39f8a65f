"""A fake of Microsoft Graph v1.0 (``/v1.0/me/events``, ``/v1.0/subscriptions``) and the Microsoft identity
platform's OAuth 2.0 endpoints (``/common/oauth2/v2.0/authorize`` and ``/token``), over real HTTP.

- Events: create (``transactionId``: a create repeated with the same one answers the event the first made),
  get, update (PATCH), delete (204), ``/instances`` of a series (weekly or daily patterns, numbered or
  end-dated), deleting an instance. ``responseStatus.response`` is ``organizer`` until the owner answers.
- Errors as ``{"error": {"code", "message", "innerError": {"request-id", "date"}}}``; 404 ``ErrorItemNotFound``;
  a bad bearer token 401 ``InvalidAuthenticationToken``; throttling 429 with ``Retry-After``.
- Subscriptions: ``POST /v1.0/subscriptions`` first validates the ``notificationUrl`` (when ``validator`` is set)
  by posting ``?validationToken=...`` and expecting the token back as text/plain within the time limit;
  ``PATCH /v1.0/subscriptions/{id}`` extends one (``expirationDateTime`` only), ``DELETE`` removes it, and either
  is ``404 ResourceNotFound`` for a subscription Graph no longer has.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
import secrets
import threading
import urllib.parse
import uuid
import zoneinfo
from collections.abc import Callable
from typing import Any

from tests.fakes.server import FakeVendor, Reply, Request

EVENTS = "/v1.0/me/events"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def graph_error(status: int, code: str, message: str) -> Reply:
    inner = {"request-id": str(uuid.uuid4()), "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")}
    return status, {"request-id": inner["request-id"]}, {"error": {"code": code, "message": message, "innerError": inner}}


class GraphFake(FakeVendor):
    def __init__(self) -> None:
        super().__init__()
        self.events: dict[str, dict[str, Any]] = {}
        self.transactions: dict[str, str] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.validator: Callable[[str], tuple[int, str, str]] | None = None  # url -> (status, content type, body)
        self.ids = itertools.count(1)
        self.lose_answers = 0
        self.state_lock = threading.Lock()
        self.route("GET", "/common/oauth2/v2.0/authorize", self.authorize)
        self.route("POST", "/common/oauth2/v2.0/token", self.token)
        self.route("POST", EVENTS, self.create)
        self.route("GET", EVENTS + "/(?P<id>[^/]+)/instances", self.instances)
        self.route("GET", EVENTS + "/(?P<id>[^/]+)", self.get)
        self.route("PATCH", EVENTS + "/(?P<id>[^/]+)", self.update)
        self.route("DELETE", EVENTS + "/(?P<id>[^/]+)", self.delete)
        self.route("POST", "/v1.0/subscriptions", self.subscribe)
        self.route("PATCH", "/v1.0/subscriptions/(?P<id>[^/]+)", self.renew)
        self.route("DELETE", "/v1.0/subscriptions/(?P<id>[^/]+)", self.unsubscribe)

    def error_reply(self, status: int) -> Reply:
        codes = {429: "TooManyRequests", 503: "ServiceNotAvailable", 500: "InternalServerError"}
        return graph_error(status, codes.get(status, "BadRequest"), f"fake error {status}")

    # -- OAuth -----------------------------------------------------------------------------------------------
    def authorize(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        code = "M." + secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q.get("code_challenge", ""),
            "method": q.get("code_challenge_method", ""),
            "redirect_uri": q["redirect_uri"],
            "scope": q.get("scope", ""),
        }
        params = {"code": code, "state": q.get("state", "")}
        return 302, {"Location": f"{q['redirect_uri']}?{urllib.parse.urlencode(params)}"}, b""

    def consent(self, authorize_url: str) -> dict[str, str]:
        parsed = urllib.parse.urlsplit(authorize_url)
        _, headers, _ = self.authorize(Request("GET", parsed.path, urllib.parse.parse_qs(parsed.query), {}, b""))
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["Location"]).query))

    def _tokens(self) -> dict[str, Any]:
        access, refresh = "eyJ0eXAi." + secrets.token_urlsafe(16), "M.R3_" + secrets.token_urlsafe(16)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return {
            "token_type": "Bearer",
            "scope": "Calendars.ReadWrite",
            "expires_in": 3600,
            "access_token": access,
            "refresh_token": refresh,
        }

    def token(self, request: Request) -> Reply:
        form = request.form()
        if form.get("grant_type") == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri") or challenge != issued["challenge"]:
                return (
                    400,
                    {},
                    {
                        "error": "invalid_grant",
                        "error_description": "AADSTS70000: The provided authorization code or verifier is invalid.",
                    },
                )
            return 200, {}, self._tokens()
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return (
                    400,
                    {},
                    {
                        "error": "invalid_grant",
                        "error_description": "AADSTS700082: The refresh token has expired or was revoked.",
                    },
                )
            self.refresh_tokens.discard(form["refresh_token"])  # Microsoft rotates refresh tokens
            return 200, {}, self._tokens()
        return 400, {}, {"error": "unsupported_grant_type", "error_description": "AADSTS70003"}

    def revoke_all(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def _auth(self, request: Request) -> Reply | None:
        if request.header("Authorization").removeprefix("Bearer ") not in self.access_tokens:
            return graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
        return None

    # -- events ----------------------------------------------------------------------------------------------
    def _lost(self) -> Reply | None:
        if self.lose_answers:
            self.lose_answers -= 1
            return self.error_reply(503)
        return None

    def create(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        body = request.json()
        with self.state_lock:
            known = self.transactions.get(body.get("transactionId") or "")
            if known is not None and known in self.events:
                return 201, {}, self.events[known]
            event_id = f"AAMkAG{next(self.ids):06d}="
            event = {
                **body,
                "id": event_id,
                "isCancelled": False,
                "type": "seriesMaster" if body.get("recurrence") else "singleInstance",
                "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
                "deletedInstances": [],
            }
            self.events[event_id] = event
            if body.get("transactionId"):
                self.transactions[body["transactionId"]] = event_id
        return self._lost() or (201, {}, event)

    def get(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event = self.events.get(urllib.parse.unquote(request.params["id"]))
        if event is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return 200, {}, event

    def update(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        with self.state_lock:
            event = self.events.get(urllib.parse.unquote(request.params["id"]))
            if event is None:
                return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            event.update(request.json())
        return self._lost() or (200, {}, event)

    def delete(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event_id = urllib.parse.unquote(request.params["id"])
        with self.state_lock:
            if "_" in event_id:  # an occurrence of a series
                master_id, stamp = event_id.rsplit("_", 1)
                master = self.events.get(master_id)
                if master is None or stamp in master["deletedInstances"]:
                    return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
                master["deletedInstances"].append(stamp)
                return 204, {}, b""
            if self.events.pop(event_id, None) is None:
                return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return 204, {}, b""

    def owner_deletes(self, event_id: str) -> None:
        with self.state_lock:
            self.events.pop(event_id, None)

    def owner_answers(self, event_id: str, response: str) -> None:
        with self.state_lock:
            self.events[event_id]["responseStatus"] = {"response": response, "time": dt.datetime.now(dt.UTC).isoformat()}

    def occurrences(self, event: dict[str, Any]) -> list[dt.datetime]:
        """Starts (UTC) of a series' occurrences from its patternedRecurrence, without deleted instances."""
        zone = zoneinfo.ZoneInfo(event["start"]["timeZone"])
        start = dt.datetime.fromisoformat(event["start"]["dateTime"]).replace(tzinfo=zone)
        pattern, span = event["recurrence"]["pattern"], event["recurrence"]["range"]
        step = dt.timedelta(days=pattern.get("interval", 1) * (7 if pattern["type"] == "weekly" else 1))
        days = {WEEKDAYS.index(d) for d in pattern.get("daysOfWeek", [])} or {start.weekday()}
        found: list[dt.datetime] = []
        day = start
        end = dt.date.fromisoformat(span["endDate"]) if span["type"] == "endDate" else None
        while len(found) < int(span.get("numberOfOccurrences") or 1000) and len(found) < 1000:
            if end is not None and day.date() > end:
                break
            if pattern["type"] != "weekly" or day.weekday() in days:
                found.append(day.replace(tzinfo=None).replace(tzinfo=zone).astimezone(dt.UTC))
            day = day + (dt.timedelta(days=1) if pattern["type"] == "weekly" else step)
        return [o for o in found if o.strftime("%Y%m%d") not in event["deletedInstances"]]

    def instances(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event = self.events.get(urllib.parse.unquote(request.params["id"]))
        if event is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        q = {k: v[0] for k, v in request.query.items()}
        if "startDateTime" not in q or "endDateTime" not in q:
            return graph_error(400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.")
        low, high = (dt.datetime.fromisoformat(q[k].replace("Z", "+00:00")) for k in ("startDateTime", "endDateTime"))
        value = [
            {
                "id": f"{event['id']}_{o.strftime('%Y%m%d')}",
                "type": "occurrence",
                "seriesMasterId": event["id"],
                "originalStart": o.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for o in self.occurrences(event)
            if low <= o <= high
        ]
        return 200, {}, {"value": value}

    def subscribe(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        body = request.json()
        if self.validator is not None:
            token = "Validation: Testing client application reachability for subscription Request-Id: " + str(uuid.uuid4())
            status, content_type, text = self.validator(f"{body['notificationUrl']}?validationToken={urllib.parse.quote(token)}")
            if status != 200 or not content_type.startswith("text/plain") or text != token:
                return graph_error(
                    400,
                    "ValidationError",
                    "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
                )
        subscription = {**body, "id": str(uuid.uuid4()), "applicationId": "app", "creatorId": "me"}
        self.subscriptions[subscription["id"]] = subscription
        return 201, {}, subscription

    def _subscription(self, request: Request) -> dict[str, Any] | Reply:
        refused = self._auth(request)
        if refused:
            return refused
        found = self.subscriptions.get(request.params["id"])
        if found is None:
            return graph_error(404, "ResourceNotFound", f"The object was not found: subscription {request.params['id']}")
        return found

    def renew(self, request: Request) -> Reply:
        """``PATCH /subscriptions/{id}``: only ``expirationDateTime`` changes."""
        found = self._subscription(request)
        if not isinstance(found, dict):
            return found
        expires = str(request.json().get("expirationDateTime", ""))
        try:
            dt.datetime.fromisoformat(expires.replace("Z", "+00:00"))
        except ValueError:
            return graph_error(400, "InvalidRequest", "expirationDateTime is not a valid date and time.")
        found["expirationDateTime"] = expires
        return 200, {}, found

    def unsubscribe(self, request: Request) -> Reply:
        found = self._subscription(request)
        if not isinstance(found, dict):
            return found
        del self.subscriptions[found["id"]]
        return 204, {}, b""

    def expire(self, subscription_id: str) -> None:
        """Graph deleted the subscription (it expired unrenewed): a PATCH of it is now 404."""
        del self.subscriptions[subscription_id]

    def notification(self, subscription_id: str, changes: list[tuple[str, str]], *, client_state: str | None = None) -> bytes:
        """The body Graph would POST for ``[(changeType, event id), ...]``."""
        sub = self.subscriptions[subscription_id]
        value = [
            {
                "subscriptionId": subscription_id,
                "subscriptionExpirationDateTime": sub["expirationDateTime"],
                "changeType": change,
                "resource": f"Users/me/Events/{event_id}",
                "resourceData": {
                    "@odata.type": "#Microsoft.Graph.Event",
                    "@odata.id": f"Users/me/Events/{event_id}",
                    "id": event_id,
                },
                "clientState": sub["clientState"] if client_state is None else client_state,
                "tenantId": "00000000-0000-0000-0000-000000000000",
            }
            for change, event_id in changes
        ]
        return json.dumps({"value": value}).encode()

    def live(self) -> list[dict[str, Any]]:
        return list(self.events.values())
