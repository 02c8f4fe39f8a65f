"""Incremental sync (spec §10.3): ``updatedSince`` on every paginated list, and the change feed ``GET /api/v1/changes``
that a partner follows with a cursor without missing a create, an update or a delete, also when transactions commit
out of order."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.roles import Role
from api.schema import document
from core import changes
from core.audit import SYSTEM
from core.models import Change
from events import services as event_services
from events.models import Venue
from registrations import services as registration_services
from registrations.models import CheckIn, Registration, TicketType
from tests.api.test_query_counts import LISTS, parent, session  # noqa: F401  (the fixtures the seeds take)
from tests.conftest import error_of
from tests.factories import VenueFactory
from tests.registrations.factories import DoorsOpenEventFactory, TicketTypeFactory, people

pytestmark = pytest.mark.django_db

PAST = "2000-01-01T00:00:00Z"
FUTURE = "2999-01-01T00:00:00Z"


# -- updatedSince -------------------------------------------------------------------------------------------
def test_every_paginated_list_of_the_document_declares_updated_since():
    doc = document()
    lists = [
        (path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        # The paginator's lists (page, pageSize, cursor ...), not the change feed, which has a cursor of its own.
        if method == "get" and {"cursor", "pageSize"} <= {p.get("name") for p in op.get("parameters", [])}
    ]
    assert len(lists) >= 25
    for path, op in lists:
        (since,) = [p for p in op["parameters"] if p["name"] == "updatedSince"]
        assert since["schema"] == {"type": "string", "format": "date-time"}, path


@pytest.mark.parametrize("name", list(LISTS))
def test_updated_since_filters_every_list(name, org, owner, parent, session, client_owner):  # noqa: F811
    url_template, seed, _ = LISTS[name]
    url = url_template.format(parent=parent.id, session=session.id)
    seed(org, parent, session, owner, 3)
    everything = client_owner.get(f"{url}?pageSize=200").json()["data"]
    assert everything, name
    since_past = client_owner.get(f"{url}?pageSize=200&updatedSince={PAST}")
    assert since_past.status_code == 200, since_past.content
    assert since_past.json()["data"] == everything
    since_future = client_owner.get(f"{url}?pageSize=200&updatedSince={FUTURE}")
    assert since_future.status_code == 200 and since_future.json()["data"] == [], name


def test_updated_since_returns_what_changed_at_or_after_it_and_the_links_keep_it(client_owner, org):
    venues = [VenueFactory(organization=org, name=f"Hall {i}") for i in range(3)]
    Venue.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    mark = timezone.now()
    event_services.venue_update(actor=SYSTEM, venue=venues[1], data={"name": "Renamed"})
    since = quote(mark.isoformat())  # "+00:00", encoded
    response = client_owner.get(f"/api/v1/venues?updatedSince={since}&pageSize=1")
    assert [v["name"] for v in response.json()["data"]] == ["Renamed"]
    assert "updatedSince=" in response["Link"]
    cursor_style = client_owner.get(f"/api/v1/venues?updatedSince={since}&cursor=&limit=5")
    assert [v["name"] for v in cursor_style.json()["data"]] == ["Renamed"]


@pytest.mark.parametrize(
    "value",
    [
        "2026-05-01T09:30:00Z",
        "2026-05-01t09:30:00z",
        "2026-05-01T09:30:00.123456789Z",
        "2026-05-01T11:30:00%2B02:00",
        "2026-05-01T04:30:00-05:00",
        "2026-05-01 09:30:00Z",
        "0173-07-28T00:24:38.430524-20:02",  # a far offset (the database takes it in UTC)
    ],
)
def test_updated_since_takes_rfc_3339_date_times(client_owner, value):
    assert client_owner.get(f"/api/v1/venues?updatedSince={value}").status_code == 200


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("yesterday", None),
        ("2026-05-01", None),
        ("2026-05-01T09:30:00", None),  # no zone: no instant
        ("2026-13-01T09:30:00Z", None),
        ("2026-02-30T09:30:00Z", None),
        ("2026-05-01T11:30:00+02:00", "%2B"),  # the '+' arrives as a space
        ("1714555800", None),
        ("2026-05-01T09:30:00+24:00", None),  # offsets run to 23:59
        ("0001-01-01T00:00:00%2B01:00", None),  # before year 1 in UTC
    ],
)
def test_a_bad_updated_since_is_a_clear_400(client_owner, value, hint):
    response = client_owner.get(f"/api/v1/registrations?updatedSince={value}")
    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["target"]) == ("INVALID_UPDATED_SINCE", "updatedSince")
    assert "RFC 3339" in body["message"]
    if hint:
        assert hint in body["message"]


# -- the change feed ---------------------------------------------------------------------------------------
class Partner:
    """A partner's copy: follows the feed page by page and keeps what exists, and when each row last changed."""

    def __init__(self, client: Any, limit: int = 3) -> None:
        self.client, self.limit = client, limit
        self.cursor: str | None = None
        self.copy: dict[tuple[str, str], int] = {}

    def page(self) -> bool:
        query = f"?limit={self.limit}" + (f"&cursor={self.cursor}" if self.cursor else "")
        response = self.client.get("/api/v1/changes" + query)
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["data"]:
            key = (change["resource"], change["id"])
            if change["action"] == "delete":
                self.copy.pop(key, None)
            else:
                self.copy[key] = change["sequence"]
        assert body["nextCursor"]
        self.cursor = body["nextCursor"]
        return bool(body["hasMore"])

    def catch_up(self) -> None:
        while self.page():
            pass


def truth(org: Any) -> set[tuple[str, str]]:
    from events.models import Event, Session

    rows: set[tuple[str, str]] = set()
    for model, resource in (
        (Venue, "venues"),
        (Event, "events"),
        (Session, "sessions"),
        (TicketType, "ticket-types"),
        (Registration, "registrations"),
        (CheckIn, "checkins"),
    ):
        rows |= {(resource, str(pk)) for pk in model.objects.filter(organization=org).values_list("pk", flat=True)}
    return rows


def test_incremental_sync_catches_every_create_update_and_delete_made_during_a_paging_run(client_owner, org):
    event = DoorsOpenEventFactory(organization=org, capacity=100)
    standard = TicketTypeFactory(event=event, name="Standard")
    spare = TicketTypeFactory(event=event, name="Spare")
    venues = [VenueFactory(organization=org) for _ in range(4)]
    registrations = registration_services.registration_create(
        actor=SYSTEM, organization_id=org.pk, event_id=event.pk, ticket_type_id=standard.pk, attendees=people(6)
    )
    partner = Partner(client_owner, limit=3)
    assert partner.page()  # the first page of many; the rest is changed while the partner pages
    updated_at: dict[tuple[str, str], int] = {}

    def changed(resource: str, pk: Any) -> None:
        updated_at[(resource, str(pk))] = Change.objects.filter(object_id=str(pk)).count()

    mutations = [
        # creates, through the API and the services (the order's raw multi-row insert too)
        lambda: client_owner.post(
            "/api/v1/registrations",
            {"eventId": str(event.pk), "ticketTypeId": str(standard.pk), "attendees": [{"name": "New", "email": "n@x.io"}]},
            format="json",
        ),
        lambda: client_owner.post("/api/v1/venues", {"name": "Annex", "city": "Berlin", "country": "DE"}, format="json"),
        # updates
        lambda: (
            client_owner.patch(f"/api/v1/registrations/{registrations[0].pk}", {"attendeeName": "Renamed"}, format="json"),
            changed("registrations", registrations[0].pk),
        ),
        lambda: (
            client_owner.post(f"/api/v1/registrations/{registrations[1].pk}/cancel", {"reason": "ill"}, format="json"),
            changed("registrations", registrations[1].pk),
        ),
        lambda: (
            event_services.venue_update(actor=SYSTEM, venue=venues[0], data={"name": "Main"}),
            changed("venues", venues[0].pk),
        ),
        # check-ins: one scan, and the bulk path (COPY)
        lambda: client_owner.post(
            "/api/v1/checkins", {"code": registrations[2].ticket_code, "eventId": str(event.pk)}, format="json"
        ),
        lambda: client_owner.post(
            "/api/v1/checkins/bulk",
            {"eventId": str(event.pk), "codes": [registrations[3].ticket_code, registrations[4].ticket_code]},
            format="json",
        ),
        # deletes
        lambda: client_owner.delete(f"/api/v1/venues/{venues[1].pk}"),
        lambda: event_services.venue_delete(actor=SYSTEM, venue=Venue.objects.get(pk=venues[2].pk)),
        lambda: client_owner.delete(f"/api/v1/events/{event.pk}/ticket-types/{spare.pk}"),
    ]
    for mutate in mutations:
        result = mutate()
        status = getattr(result, "status_code", None) or getattr(
            result[0] if isinstance(result, tuple) else None, "status_code", 200
        )
        assert status < 300, getattr(result, "content", result)
        partner.page()  # one page between each change
    partner.catch_up()

    assert set(partner.copy) == truth(org)
    assert ("venues", str(venues[1].pk)) not in partner.copy and ("ticket-types", str(spare.pk)) not in partner.copy
    assert CheckIn.objects.filter(organization=org).count() == 3
    # Every update reached the partner after it was made: its last sequence is the row's last change.
    for key in updated_at:
        last = Change.objects.filter(object_id=key[1]).order_by("-sequence").values_list("sequence", flat=True).first()
        assert partner.copy[key] == last, key
    # Nothing is left behind the cursor: a new read brings nothing.
    before = partner.cursor
    assert partner.page() is False and partner.cursor == before


def test_the_feed_lists_only_what_the_caller_may_read(api, member, org, client_owner):
    from payments.models import Payment

    VenueFactory(organization=org)
    payment = Payment.objects.create(organization=org, event=DoorsOpenEventFactory(organization=org), amount=10, currency="EUR")
    editor = api(member(Role.EDITOR))  # no payments.view
    resources = {c["resource"] for c in editor.get("/api/v1/changes?limit=100").json()["data"]}
    assert "venues" in resources and "payments" not in resources
    owner_sees = {(c["resource"], c["id"]) for c in client_owner.get("/api/v1/changes?limit=100").json()["data"]}
    assert ("payments", str(payment.pk)) in owner_sees
    _, raw = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "sync", "scopes": ["events:read"]}, creator_role=Role.OWNER
    )
    keyed = api().get("/api/v1/changes?limit=100", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert {c["resource"] for c in keyed.json()["data"]} == {"venues", "events"}
    only = client_owner.get("/api/v1/changes?limit=100&resources=payments").json()["data"]
    assert {c["resource"] for c in only} == {"payments"}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("cursor=12", "INVALID_CHANGE_CURSOR"),
        ("cursor=c1.x", "INVALID_CHANGE_CURSOR"),
        ("resources=users", "VALIDATION_ERROR"),
        ("limit=0", "VALIDATION_ERROR"),
    ],
)
def test_bad_feed_parameters_are_400(client_owner, query, code):
    response = client_owner.get(f"/api/v1/changes?{query}")
    assert response.status_code == 400 and error_of(response)["code"] == code


def test_the_feed_runs_a_fixed_number_of_queries(client_owner, org, django_assert_num_queries):
    for _ in range(3):
        VenueFactory(organization=org)
    client_owner.get("/api/v1/changes")  # the organization's counter row exists from here on
    for n in (2, 40):
        for _ in range(n):
            VenueFactory(organization=org)
        # session, user, membership; the stamp's savepoint, lock wait bound (PostgreSQL's), lock the counter, pending
        # rows, number them, save the counter, release; the page
        with django_assert_num_queries(11 if connection.vendor == "postgresql" else 10):
            assert len(client_owner.get("/api/v1/changes?limit=1000").json()["data"]) >= n


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL): SQLite has no concurrent writers"
)
def test_a_change_committed_late_with_a_smaller_id_is_not_passed_by_the_cursor(api, org, owner):
    """T1 writes first (the smaller change id) and commits last: a cursor over ids would skip it; the feed does not."""
    client = api(owner)
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                event_services.venue_create(
                    actor=SYSTEM, organization=org, data={"name": "Slow", "city": "Berlin", "country": "DE"}
                )
                written.set()
                assert release.wait(20)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()
            done.set()

    partner = Partner(client, limit=100)
    partner.catch_up()
    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert written.wait(20)
        fast = event_services.venue_create(
            actor=SYSTEM, organization=org, data={"name": "Fast", "city": "Berlin", "country": "DE"}
        )
        partner.catch_up()  # sees Fast; Slow is not committed yet
        assert ("venues", str(fast.pk)) in partner.copy
        assert not Venue.objects.filter(name="Slow").exists()
    finally:
        release.set()
        thread.join(20)
    assert done.is_set() and not errors
    slow = Venue.objects.get(name="Slow")
    slow_change, fast_change = (Change.objects.get(object_id=str(v.pk)) for v in (slow, fast))
    assert slow_change.id < fast_change.id  # written first, committed last: an id cursor would have passed it
    partner.catch_up()
    assert ("venues", str(slow.pk)) in partner.copy
    slow_change.refresh_from_db()
    fast_change.refresh_from_db()
    assert slow_change.sequence is not None and fast_change.sequence is not None
    assert slow_change.sequence > fast_change.sequence  # numbered in commit order


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_and_a_reader_lose_nothing(api, org, owner):
    """Writers committing in any order while a partner reads: at the end the copy holds every row."""
    client = api(owner)
    partner = Partner(client, limit=7)
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    venue = event_services.venue_create(
                        actor=SYSTEM, organization=org, data={"name": f"{prefix}{i}", "city": "B", "country": "DE"}
                    )
                    if i % 3 == 0:
                        event_services.venue_update(actor=SYSTEM, venue=venue, data={"city": "C"})
                if i % 5 == 4:
                    event_services.venue_delete(actor=SYSTEM, venue=Venue.objects.get(pk=venue.pk))
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in "ab"]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        partner.page()
    for t in threads:
        t.join()
    stop.set()
    partner.catch_up()
    assert not failures
    assert {k for k in partner.copy if k[0] == "venues"} == {
        ("venues", str(pk)) for pk in Venue.objects.filter(organization=org).values_list("pk", flat=True)
    }
    assert len([k for k in partner.copy if k[0] == "venues"]) == 24


# -- retention and compaction (core.changes.purge, ADR 0032) --------------------------------------------------
def age(days: float = 0, **query: Any) -> None:
    """Date the matching changes back ``days`` days (plus two hours, past the compaction's settle window)."""
    Change.objects.filter(**query).update(changed_at=timezone.now() - dt.timedelta(days=days, hours=2))


def latest_by_object(org: Any) -> dict[tuple[str, str], tuple[int, str]]:
    """Every object's last change in the log: (resource, id) -> (sequence, action)."""
    out: dict[tuple[str, str], tuple[int, str]] = {}
    for seq, resource, object_id, action in (
        Change.objects.filter(organization_id=org.pk)
        .order_by("sequence")
        .values_list("sequence", "resource", "object_id", "action")
    ):
        out[(resource, object_id)] = (seq, action)
    return out


def read_from(client: Any, cursor: str | None, limit: int = 2) -> tuple[dict[tuple[str, str], tuple[int, str]], str]:
    """Page the feed from ``cursor`` to its end: each object's last change seen, and the final cursor."""
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get("/api/v1/changes" + query)
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["data"]:
            seen[(change["resource"], change["id"])] = (change["sequence"], change["action"])
        cursor = body["nextCursor"]
        if not body["hasMore"]:
            return seen, cursor


def test_compaction_keeps_each_objects_latest_change_and_a_partner_at_any_cursor_still_learns_of_every_change(client_owner, org):
    cursors: list[int] = [0]

    def remember() -> None:  # the cursor a partner reading now would hold
        cursors.append(int(read_from(client_owner, f"c1.{cursors[-1]}", limit=1000)[1].removeprefix("c1.")))

    a, b, c, d = (VenueFactory(organization=org, name=f"V{i}") for i in range(4))
    remember()
    for name in ("A1", "A2"):
        event_services.venue_update(actor=SYSTEM, venue=a, data={"name": name})
        remember()
    event_services.venue_update(actor=SYSTEM, venue=b, data={"name": "B1"})
    event_services.venue_delete(actor=SYSTEM, venue=Venue.objects.get(pk=c.pk))
    remember()
    event_services.venue_update(actor=SYSTEM, venue=a, data={"name": "A3"})
    event_services.venue_delete(actor=SYSTEM, venue=Venue.objects.get(pk=b.pk))
    remember()
    age(days=1, organization_id=org.pk)
    # Inside the settle window: d's first change (old) is superseded by a fresh one; e's two changes are both fresh.
    event_services.venue_update(actor=SYSTEM, venue=Venue.objects.get(pk=d.pk), data={"name": "D1"})
    e = VenueFactory(organization=org, name="E")
    event_services.venue_update(actor=SYSTEM, venue=e, data={"name": "E1"})
    remember()
    # What a partner at each cursor must learn of, read from the whole log before anything is purged.
    before = list(
        Change.objects.filter(organization_id=org.pk)
        .order_by("sequence")
        .values_list("sequence", "resource", "object_id", "action")
    )
    owed = {k: {(res, oid): (seq, act) for seq, res, oid, act in before if seq > k} for k in cursors}
    objects = {(r, o) for _, r, o, _ in before}

    done = changes.purge()

    assert done.expired == 0 and changes.horizon(org.pk) == 0
    assert done.compacted == len(before) - len(objects) - 1  # all but e's first change, still settling
    kept = Counter(Change.objects.filter(organization_id=org.pk).values_list("resource", "object_id"))
    assert kept == {**dict.fromkeys(objects, 1), ("venues", str(e.pk)): 2}
    assert latest_by_object(org)[("venues", str(a.pk))][1] == "upsert"
    assert latest_by_object(org)[("venues", str(c.pk))][1] == "delete"
    assert len(cursors) == 7
    for k, expected in owed.items():
        seen, _ = read_from(client_owner, f"c1.{k}")
        # Every object changed after the cursor, with its last change (same sequence, same action); nothing else.
        assert seen == expected, k


def test_retention_deletes_old_changes_and_a_cursor_below_the_horizon_is_410(client_owner, org):
    venues = [VenueFactory(organization=org) for _ in range(6)]
    read_from(client_owner, None)  # numbered 1..6
    seq = {v.pk: Change.objects.get(object_id=str(v.pk)).sequence for v in venues}
    assert sorted(seq.values()) == [1, 2, 3, 4, 5, 6]
    age(days=100, object_id__in=[str(venues[0].pk), str(venues[1].pk), str(venues[3].pk)])  # 1, 2, 4: not in a row
    age(days=80, object_id=str(venues[2].pk))  # inside the retention

    done = changes.purge()

    assert done.expired == 3 and done.compacted == 0
    assert sorted(Change.objects.filter(organization_id=org.pk).values_list("sequence", flat=True)) == [3, 5, 6]
    assert changes.horizon(org.pk) == 4  # the highest sequence deleted
    for cursor in ("c1.0", "c1.3"):  # change 4 was deleted after these cursors
        response = client_owner.get(f"/api/v1/changes?cursor={cursor}")
        assert response.status_code == 410, response.content
        error = error_of(response)
        assert error["code"] == "CHANGE_CURSOR_EXPIRED" and error["target"] == "cursor" and "4" in error["details"]
        assert error["status"] == 410 and error["horizon"] == 4  # the highest sequence deleted
        assert (
            error["documentation"].endswith("CHANGE_CURSOR_EXPIRED") or "change-cursor-expired" in error["documentation"].lower()
        )
    seen, last = read_from(client_owner, "c1.4")  # at the horizon
    assert [s for s, _ in seen.values()] == [5, 6] and last == "c1.6"
    assert read_from(client_owner, "c1.5")[0] == {("venues", str(venues[5].pk)): (6, "upsert")}
    # Without a cursor: from the horizon on (change 3 is kept but behind it; a first copy comes from the lists).
    first = client_owner.get("/api/v1/changes?limit=1").json()
    assert [c["sequence"] for c in first["data"]] == [5] and first["nextCursor"] == "c1.5" and first["hasMore"]
    # A purge with nothing past the retention changes nothing: the horizon stays, the cursors stay valid.
    assert changes.purge().expired == 0 and changes.horizon(org.pk) == 4
    assert client_owner.get("/api/v1/changes?cursor=c1.4").status_code == 200


def test_without_a_cursor_an_empty_feed_past_the_horizon_answers_the_horizon(client_owner, org):
    VenueFactory(organization=org)
    read_from(client_owner, None)
    age(days=100, organization_id=org.pk)
    changes.purge()
    body = client_owner.get("/api/v1/changes").json()
    assert body == {"data": [], "nextCursor": "c1.1", "hasMore": False}
    assert client_owner.get("/api/v1/changes?cursor=c1.0").status_code == 410
    venue = VenueFactory(organization=org)
    assert read_from(client_owner, body["nextCursor"])[0] == {("venues", str(venue.pk)): (2, "upsert")}


def test_the_feed_documents_its_410():
    responses = document()["paths"]["/api/v1/changes"]["get"]["responses"]
    assert responses["410"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "CHANGE_CURSOR_EXPIRED" in responses["410"]["description"]


@pytest.mark.django_db(transaction=True)
def test_compaction_running_while_writers_write_and_a_partner_pages_loses_nothing(api, org, owner):
    """Superseded changes deleted as soon as they are numbered, while two writers change rows and a partner
    reads: the partner's copy ends equal to the rows, never answered 410."""
    client = api(owner)
    partner = Partner(client, limit=5)
    failures: list[BaseException] = []
    writing = threading.Event()
    writing.set()

    def writer(prefix: str) -> None:
        try:
            for i in range(12):
                venue = event_services.venue_create(
                    actor=SYSTEM, organization=org, data={"name": f"{prefix}{i}", "city": "B", "country": "DE"}
                )
                event_services.venue_update(actor=SYSTEM, venue=venue, data={"city": "C"})
                if i % 4 == 3:
                    event_services.venue_delete(actor=SYSTEM, venue=Venue.objects.get(pk=venue.pk))
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    compacted = 0

    def compactor() -> None:
        nonlocal compacted
        try:
            while writing.is_set():
                compacted += changes.compact(before=timezone.now() + dt.timedelta(seconds=1), batch=3)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in "ab"]
    purger = threading.Thread(target=compactor)
    for t in (*threads, purger):
        t.start()
    while any(t.is_alive() for t in threads):
        partner.page()
    writing.clear()
    purger.join()
    partner.catch_up()  # numbers the last changes too
    compacted += changes.compact(before=timezone.now() + dt.timedelta(seconds=1))
    assert partner.page() is False  # the compaction left nothing new behind the cursor
    assert not failures
    assert compacted > 0 and changes.horizon(org.pk) == 0
    assert {k for k in partner.copy if k[0] == "venues"} == {
        ("venues", str(pk)) for pk in Venue.objects.filter(organization=org).values_list("pk", flat=True)
    }
    assert len([k for k in partner.copy if k[0] == "venues"]) == 18
    # One change a row is left, the latest the partner read.
    kept = Counter(Change.objects.filter(organization_id=org.pk, resource="venues").values_list("object_id", flat=True))
    assert set(kept.values()) == {1} and len(kept) == 24
