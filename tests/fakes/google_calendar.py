"""A fake of Google Calendar API v3 (``/calendar/v3/calendars/primary/events...``) and Google's OAuth 2.0
endpoints, over real HTTP.

- ``GET /o/oauth2/v2/auth``: the consent page; the fake consents at once and redirects to ``redirect_uri`` with
  ``code`` and ``state`` (or ``error=access_denied`` when ``deny`` is set). The code remembers the PKCE challenge.
- ``POST /token`` (form): ``authorization_code`` (checks ``code_verifier`` against the S256 challenge and the
  ``redirect_uri``) and ``refresh_token``; errors as RFC 6749 §5.2 (``{"error": "invalid_grant", ...}``, 400).
- Events: insert (a client-chosen ``id``; an existing one is ``409 duplicate``), get, update (PUT), delete (204;
  ``410 deleted`` when already deleted), list with ``syncToken`` (``410 fullSyncRequired`` for an expired one)
  and ``showDeleted``; ``events/watch`` opens a push channel (``channel_expiration`` sets its expiry) and
  ``channels/stop`` closes one (``404 notFound`` for a channel it does not know). Errors as ``{"error": {"code", "message",
  "errors": [{"domain", "reason", "message"}], "status"}}``; a bad bearer token is 401 ``authError``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import threading
import urllib.parse
from typing import Any

from tests.fakes.server import FakeVendor, Reply, Request

EVENTS = "/calendar/v3/calendars/primary/events"


def google_error(status: int, reason: str, message: str, state: str = "") -> Reply:
    return (
        status,
        {},
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"domain": "global", "reason": reason, "message": message}],
                "status": state,
            }
        },
    )


class GoogleCalendarFake(FakeVendor):
    def __init__(self) -> None:
        super().__init__()
        self.events: dict[str, dict[str, Any]] = {}
        self.changed: dict[str, int] = {}  # event id -> change counter of its last change
        self.counter = itertools.count(1)
        self.version = 0
        self.codes: dict[str, dict[str, str]] = {}
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.channels: dict[str, dict[str, Any]] = {}
        self.expired_sync_tokens: set[str] = set()
        self.stopped: list[str] = []
        self.channel_expiration = "4102444800000"  # ms since the epoch, as Google answers it
        self.deny = False
        self.lose_answers = 0  # the next creates/updates are done, then answered 503 (an answer lost on the way)
        self.state_lock = threading.Lock()
        self.route("GET", "/o/oauth2/v2/auth", self.authorize)
        self.route("POST", "/token", self.token)
        self.route("POST", EVENTS, self.insert)
        self.route("GET", EVENTS, self.list)
        self.route("POST", EVENTS + "/watch", self.watch)
        self.route("POST", "/calendar/v3/channels/stop", self.stop_channel)
        self.route("GET", EVENTS + "/(?P<id>[^/]+)", self.get)
        self.route("PUT", EVENTS + "/(?P<id>[^/]+)", self.update)
        self.route("DELETE", EVENTS + "/(?P<id>[^/]+)", self.delete)

    def error_reply(self, status: int) -> Reply:
        return google_error(status, "backendError" if status >= 500 else "invalid", f"fake error {status}")

    # -- OAuth ---------------------------------------------------------------------------------------------
    def authorize(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        target = q["redirect_uri"]
        if self.deny:
            params = {"error": "access_denied", "state": q.get("state", "")}
        else:
            code = "4/" + secrets.token_urlsafe(12)
            self.codes[code] = {
                "challenge": q.get("code_challenge", ""),
                "method": q.get("code_challenge_method", ""),
                "redirect_uri": target,
                "client_id": q.get("client_id", ""),
                "scope": q.get("scope", ""),
                "access_type": q.get("access_type", ""),
            }
            params = {"code": code, "state": q.get("state", "")}
        return 302, {"Location": f"{target}?{urllib.parse.urlencode(params)}"}, b""

    def consent(self, authorize_url: str) -> dict[str, str]:
        """What the browser would bring back from the consent page: the callback's query (code and state)."""
        parsed = urllib.parse.urlsplit(authorize_url)
        status, headers, _ = self.authorize(Request("GET", parsed.path, urllib.parse.parse_qs(parsed.query), {}, b""))
        assert status == 302
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["Location"]).query))

    def _tokens(self, refresh: str = "") -> dict[str, Any]:
        access = "ya29." + secrets.token_urlsafe(16)
        self.access_tokens.add(access)
        body: dict[str, Any] = {"access_token": access, "expires_in": 3599, "token_type": "Bearer", "scope": "calendar.events"}
        if not refresh:
            refresh = "1//" + secrets.token_urlsafe(16)
            self.refresh_tokens.add(refresh)
            body["refresh_token"] = refresh
        return body

    def token(self, request: Request) -> Reply:
        form = request.form()
        grant = form.get("grant_type")
        if grant == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return 400, {}, {"error": "invalid_grant", "error_description": "Malformed auth code."}
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if issued["method"] != "S256" or challenge != issued["challenge"]:
                return 400, {}, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
            return 200, {}, self._tokens()
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {}, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            return 200, {}, self._tokens(refresh=form["refresh_token"])
        return 400, {}, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."}

    def revoke_all(self) -> None:
        """The user removed the platform's access in their Google account."""
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def _auth(self, request: Request) -> Reply | None:
        token = request.header("Authorization").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return google_error(401, "authError", "Invalid Credentials", "UNAUTHENTICATED")
        return None

    # -- events --------------------------------------------------------------------------------------------
    def _touch(self, event_id: str) -> None:
        self.version = next(self.counter)
        self.changed[event_id] = self.version

    def _lost(self) -> Reply | None:
        if self.lose_answers:
            self.lose_answers -= 1
            return self.error_reply(503)
        return None

    def insert(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        body = request.json()
        event_id = body.get("id") or secrets.token_hex(13)
        with self.state_lock:
            if event_id in self.events:
                return google_error(409, "duplicate", "The requested identifier already exists.", "ALREADY_EXISTS")
            event = {**body, "id": event_id, "kind": "calendar#event", "status": body.get("status", "confirmed")}
            self.events[event_id] = event
            self._touch(event_id)
        return self._lost() or (200, {}, event)

    def get(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event = self.events.get(request.params["id"])
        if event is None:
            return google_error(404, "notFound", "Not Found", "NOT_FOUND")
        return 200, {}, event

    def update(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event_id = request.params["id"]
        with self.state_lock:
            if event_id not in self.events:
                return google_error(404, "notFound", "Not Found", "NOT_FOUND")
            body = request.json()
            self.events[event_id] = {**body, "id": event_id, "kind": "calendar#event", "status": body.get("status", "confirmed")}
            self._touch(event_id)
        return self._lost() or (200, {}, self.events[event_id])

    def delete(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        event_id = request.params["id"]
        with self.state_lock:
            event = self.events.get(event_id)
            if event is None:
                return google_error(404, "notFound", "Not Found", "NOT_FOUND")
            if event["status"] == "cancelled":
                return google_error(410, "deleted", "Resource has been deleted", "")
            event["status"] = "cancelled"
            self._touch(event_id)
        return 204, {}, b""

    def owner_deletes(self, event_id: str) -> None:
        with self.state_lock:
            self.events[event_id]["status"] = "cancelled"
            self._touch(event_id)

    def owner_answers(self, event_id: str, response: str) -> None:
        with self.state_lock:
            self.events[event_id]["attendees"] = [{"email": "me@example.com", "self": True, "responseStatus": response}]
            self._touch(event_id)

    def live(self) -> list[dict[str, Any]]:
        return [e for e in self.events.values() if e["status"] != "cancelled"]

    def list(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        q = {k: v[0] for k, v in request.query.items()}
        token = q.get("syncToken", "")
        if token in self.expired_sync_tokens:
            return google_error(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
        since = int(token[1:]) if token.startswith("s") else 0
        show_deleted = bool(token) or q.get("showDeleted") == "true"
        items = [
            self.events[i]
            for i, changed in sorted(self.changed.items(), key=lambda kv: kv[1])
            if changed > since and (show_deleted or self.events[i]["status"] != "cancelled")
        ]
        return 200, {}, {"kind": "calendar#events", "items": items, "nextSyncToken": f"s{self.version}"}

    def watch(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        body = request.json()
        if body.get("type") != "web_hook" or not body.get("address") or not body.get("id"):
            return google_error(400, "invalid", "Invalid channel.")
        channel = {
            "kind": "api#channel",
            "id": body["id"],
            "resourceId": "res-" + secrets.token_hex(6),
            "resourceUri": f"https://www.googleapis.com{EVENTS}",
            "token": body.get("token", ""),
            "expiration": self.channel_expiration,
            "address": body["address"],
            "messages": 0,
        }
        self.channels[body["id"]] = channel
        return 200, {}, {k: v for k, v in channel.items() if k not in ("address", "messages")}

    def stop_channel(self, request: Request) -> Reply:
        """``channels/stop``: 204 with no body; an unknown channel (or a resource id not its own) is 404 notFound."""
        refused = self._auth(request)
        if refused:
            return refused
        body = request.json()
        channel = self.channels.get(str(body.get("id", "")))
        if channel is None or channel["resourceId"] != body.get("resourceId"):
            return google_error(404, "notFound", f"Channel '{body.get('id')}' not found for project '123'", "NOT_FOUND")
        del self.channels[channel["id"]]
        self.stopped.append(channel["id"])
        return 204, {}, b""

    def push_headers(
        self, channel_id: str, state: str = "exists", *, token: str | None = None, number: int | None = None
    ) -> dict[str, str]:
        """The headers of a push notification Google would POST to the channel's address (no body)."""
        channel = self.channels[channel_id]
        if number is None:
            channel["messages"] += 1
            number = channel["messages"]
        return {
            "HTTP_X_GOOG_CHANNEL_ID": channel_id,
            "HTTP_X_GOOG_CHANNEL_TOKEN": channel["token"] if token is None else token,
            "HTTP_X_GOOG_CHANNEL_EXPIRATION": "Fri, 01 Jan 2100 00:00:00 GMT",
            "HTTP_X_GOOG_RESOURCE_ID": channel["resourceId"],
            "HTTP_X_GOOG_RESOURCE_URI": channel["resourceUri"],
            "HTTP_X_GOOG_RESOURCE_STATE": state,
            "HTTP_X_GOOG_MESSAGE_NUMBER": str(number),
        }
