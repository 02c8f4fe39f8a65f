"""Sample: mirror an organization's registrations into a local SQLite database, with the Python SDK.

Two ways in, meant to be used together:

``pull``  incremental sync by cursor: the registrations sorted by ``updatedAt``
          are read page by page from where the last run stopped. The cursor of
          the last page read is kept in the database, so the next run reads
          that page again and everything changed since (a changed registration
          has a later ``updatedAt`` and so comes after the cursor). Run it on a
          schedule, and once at start to fill the mirror.
``listen`` a webhook receiver: each ``registration.*`` delivery is verified with
          the subscription's secret, de-duplicated by ``webhook-id`` and applied
          unless the mirror already holds a newer copy (deliveries may come
          twice or out of order). It keeps the mirror current between pulls;
          a pull repairs whatever a missed delivery left behind.

    python samples/python-sync/sync.py --base-url https://events.example --token emp_live_... --db mirror.sqlite3 pull
    python samples/python-sync/sync.py --db mirror.sqlite3 listen --port 8080 --secret whsec_...

The SDK is sdks/python (``pip install ./sdks/python``); run from a checkout,
this script finds it there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

try:
    import emp_sdk
except ImportError:  # run from a checkout of the platform
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdks" / "python"))
    import emp_sdk

from emp_sdk.generated.api.registrations import registrations_list

SCHEMA = """
CREATE TABLE IF NOT EXISTS registrations (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    attendee_name TEXT NOT NULL,
    attendee_email TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (webhook_id TEXT PRIMARY KEY);
"""


class Mirror:
    """The local copy: registrations, the sync cursor, and the webhook ids already applied."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)

    def upsert(self, row: dict[str, Any]) -> bool:
        """Store ``row`` (camelCase, as the API and the webhooks send it) unless a newer copy is held; True if stored.

        ``updatedAt`` is kept as ISO 8601 in UTC with microseconds, so the
        strings compare as the instants do (the API may write ``Z`` or ``+00:00``).
        """
        moment = dt.datetime.fromisoformat(str(row["updatedAt"]).replace("Z", "+00:00")).astimezone(dt.UTC)
        row = {**row, "updatedAt": moment.isoformat(timespec="microseconds")}
        changed = self.db.execute(
            "INSERT INTO registrations (id, event_id, attendee_name, attendee_email, status, updated_at) "
            "VALUES (:id, :eventId, :attendeeName, :attendeeEmail, :status, :updatedAt) "
            "ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, attendee_name = excluded.attendee_name, "
            "attendee_email = excluded.attendee_email, status = excluded.status, updated_at = excluded.updated_at "
            "WHERE excluded.updated_at >= registrations.updated_at",
            {key: row[key] for key in ("id", "eventId", "attendeeName", "attendeeEmail", "status", "updatedAt")},
        ).rowcount
        return bool(changed)

    def cursor(self) -> str:
        found = self.db.execute("SELECT value FROM state WHERE name = 'cursor'").fetchone()
        return found[0] if found else ""

    def keep_cursor(self, cursor: str) -> None:
        self.db.execute(
            "INSERT INTO state VALUES ('cursor', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", [cursor]
        )

    def first_delivery(self, webhook_id: str) -> bool:
        """True the first time a delivery's ``webhook-id`` is seen (a retry or a replay has the same id)."""
        return bool(self.db.execute("INSERT OR IGNORE INTO deliveries VALUES (?)", [webhook_id]).rowcount)


def pull(mirror: Mirror, client: Any, *, page_size: int = 100) -> dict[str, int]:
    """Read every registration changed since the stored cursor into the mirror; the figures of the run."""
    figures = {"pages": 0, "rows": 0, "stored": 0}
    cursor = mirror.cursor()
    for page in emp_sdk.pages(registrations_list, client, cursor=cursor, page_size=page_size, sort="updatedAt"):
        figures["pages"] += 1
        for registration in page.data:
            figures["rows"] += 1
            figures["stored"] += mirror.upsert(registration.to_dict())
        following = page.pagination.next_cursor
        if following:
            cursor = following
    # The start of the last page read: the next run reads it again, then whatever changed after it.
    mirror.keep_cursor(cursor)
    return figures


def receiver(mirror: Mirror, secret: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                message = emp_sdk.verify(secret, dict(self.headers.items()), body)
            except emp_sdk.WebhookVerificationError as error:
                self.answer(400, {"error": str(error)})
                return
            applied = False
            if mirror.first_delivery(self.headers["webhook-id"]) and message["event"].startswith("registration."):
                applied = mirror.upsert(message["data"])
            print(json.dumps({"event": message["event"], "id": message["data"].get("id"), "applied": applied}), flush=True)
            self.answer(200, {"applied": applied})

        def answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="The SQLite file of the mirror.")
    parser.add_argument("--base-url", help="The platform, e.g. https://events.example (pull).")
    parser.add_argument("--token", help="An API key or access token with registrations:read (pull).")
    commands = parser.add_subparsers(dest="command", required=True)
    pulling = commands.add_parser("pull", help="Incremental sync by cursor.")
    pulling.add_argument("--page-size", type=int, default=100)
    listening = commands.add_parser("listen", help="Receive registration webhooks.")
    listening.add_argument("--port", type=int, default=8080, help="0 picks a free port (printed).")
    listening.add_argument("--secret", required=True, help="The subscription's signing secret (whsec_...).")
    options = parser.parse_args(argv)

    mirror = Mirror(options.db)
    if options.command == "pull":
        if not (options.base_url and options.token):
            parser.error("pull needs --base-url and --token")
        figures = pull(mirror, emp_sdk.connect(options.base_url, options.token), page_size=options.page_size)
        print(json.dumps(figures), flush=True)
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), receiver(mirror, options.secret))
    print(json.dumps({"listening": server.server_address[1]}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
