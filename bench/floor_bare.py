"""The floor of ``bench/floor.py``: a bare Django view answering the events list's rows.

A settings module (the platform's settings with no middleware and this module
as the URL conf) and the view itself: two SQL statements on the same PostgreSQL
(the page of events with their venues, then their tag names), each row turned
into the same dict the platform's ``GET /api/v1/events`` answers under ``data``,
and ``json.dumps``. No authentication, no tenancy check, no pagination metadata,
no ETag: what a minimal Django view does to return the same rows. ``floor.py``
checks that both answer the same ``data`` before it measures.

    DJANGO_SETTINGS_MODULE=floor_bare gunicorn --pythonpath bench 'django.core.wsgi:get_wsgi_application()'
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from config.settings import *  # noqa: F403  (the same database, cache and time zone settings)

MIDDLEWARE: list[str] = []
# Only what the view needs: core registers psycopg's C timestamp loader on each connection, as for the platform.
INSTALLED_APPS = ["django.contrib.contenttypes", "core"]
ROOT_URLCONF = "floor_bare"

# The organization whose events the view reads (floor.py passes it).
_ORG = os.environ.get("FLOOR_ORGANIZATION_ID", "")

_EVENTS_SQL = """
SELECT e.id, e.parent_id, e.title, e.slug, e.description, e.category, e.starts_at, e.ends_at, e.time_zone,
       e.attendance_mode, v.id, v.name, v.address, v.city, v.country, v.capacity, e.online_url, e.capacity,
       e.currency, e.visibility, e.status, e.published_at, e.cancelled_at, e.cancellation_reason, e.completed_at,
       e.check_in_opens_minutes_before_start, e.check_in_closes_minutes_after_end, e.created_at, e.updated_at
  FROM events_event e LEFT JOIN events_venue v ON v.id = e.venue_id
 WHERE e.organization_id = %s
 ORDER BY e.starts_at, e.id
 LIMIT 50
"""
_TAGS_SQL = """
SELECT et.event_id, t.name FROM events_event_tags et JOIN events_tag t ON t.id = et.tag_id
 WHERE et.event_id = ANY(%s) ORDER BY t.name
"""


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def events(request: Any) -> Any:
    from django.db import connection
    from django.http import HttpResponse

    with connection.cursor() as cursor:
        cursor.execute(_EVENTS_SQL, [_ORG])
        rows = cursor.fetchall()
        tags: dict[Any, list[str]] = {r[0]: [] for r in rows}
        cursor.execute(_TAGS_SQL, [list(tags)])
        for event_id, name in cursor.fetchall():
            tags[event_id].append(name)
    data = []
    for r in rows:
        opens = r[6] - dt.timedelta(minutes=r[25])
        closes = r[7] + dt.timedelta(minutes=r[26])
        data.append(
            {
                "id": str(r[0]),
                "parentId": None if r[1] is None else str(r[1]),
                "title": r[2],
                "slug": r[3],
                "description": r[4],
                "category": r[5],
                "tags": tags[r[0]],
                "startsAt": _iso(r[6]),
                "endsAt": _iso(r[7]),
                "timeZone": r[8],
                "attendanceMode": r[9],
                "venue": None
                if r[10] is None
                else {"id": str(r[10]), "name": r[11], "address": r[12], "city": r[13], "country": r[14], "capacity": r[15]},
                "onlineUrl": r[16] or None,
                "capacity": r[17],
                "currency": r[18],
                "visibility": r[19],
                "status": r[20],
                "publishedAt": _iso(r[21]),
                "cancelledAt": _iso(r[22]),
                "cancellationReason": r[23],
                "completedAt": _iso(r[24]),
                "checkInOpensMinutesBeforeStart": r[25],
                "checkInClosesMinutesAfterEnd": r[26],
                "checkInOpensAt": _iso(opens),
                "checkInClosesAt": _iso(closes),
                "createdAt": _iso(r[27]),
                "updatedAt": _iso(r[28]),
            }
        )
    return HttpResponse(json.dumps({"data": data}), content_type="application/json")


def _urls() -> list[Any]:
    from django.urls import path

    return [path("bare/events", events)]


urlpatterns = _urls()
