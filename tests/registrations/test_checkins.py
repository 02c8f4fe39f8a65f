"""Check-in: once per ticket (event entry and each session), the scan log, nonce replay, undo, bulk, filters, stats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from api.representation import iso
from core.audit import SYSTEM
from core.models import AuditEntry, OutboxEvent
from registrations import services
from registrations.models import CheckIn, Registration, RegistrationStatus
from tests.conftest import error_of
from tests.factories import SessionFactory
from tests.registrations.factories import (
    DoorsOpenEventFactory,
    PublishedEventFactory,
    RegistrationFactory,
    TicketTypeFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins"


@pytest.fixture
def event(org: Any) -> Any:
    return DoorsOpenEventFactory(organization=org, capacity=100, title="Acme Summit")


@pytest.fixture
def ticket_type(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Free")


@pytest.fixture
def ticket(ticket_type: Any) -> Registration:
    return RegistrationFactory(ticket_type=ticket_type, attendee_name="Ada Lovelace", attendee_email="ada@example.com")


@pytest.fixture
def staff(api: Any, member: Any) -> Any:
    return api(member(Role.CHECKIN, email="door@acme.example"))


def scan(client: Any, event: Any, code: str, **extra: Any) -> Any:
    return client.post(URL, {"code": code, "eventId": str(event.id), **extra}, format="json")


def published() -> list[dict[str, Any]]:
    return list(OutboxEvent.objects.filter(event_type="checkin.completed").values_list("data", flat=True))


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(CheckIn.objects.values_list("id", "accepted", "undone_at")),
        OutboxEvent.objects.count(),
        AuditEntry.objects.count(),
    )


# -- one scan ---------------------------------------------------------------------------------
def test_check_in_once_then_already_checked_in(staff, event, ticket):
    response = scan(staff, event, ticket.ticket_code, device="Gate 1")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["accepted"] is True and body["result"] == "ok"
    assert body["registrationId"] == str(ticket.id) and body["eventId"] == str(event.id) and body["sessionId"] is None
    assert body["attendee"] == {"name": "Ada Lovelace", "email": "ada@example.com"}
    assert body["ticketType"] == {"id": str(ticket.ticket_type_id), "name": "Free"}
    assert body["device"] == "Gate 1" and body["scannedBy"] == "door@acme.example" and body["undoneAt"] is None
    assert "code" not in body and ticket.ticket_code not in response.content.decode()
    assert response["Location"] == f"{URL}/{body['id']}"

    again = scan(staff, event, ticket.ticket_code, device="Gate 2")
    assert again.status_code == 409
    error = error_of(again)
    assert error["code"] == "ALREADY_CHECKED_IN"
    assert error["details"] == {
        "checkInId": body["id"],
        "checkedInAt": body["createdAt"],
        "device": "Gate 1",
        "scannedBy": "door@acme.example",
        "sessionId": None,
    }
    assert CheckIn.objects.filter(registration=ticket, accepted=True).count() == 1
    assert CheckIn.objects.filter(registration=ticket, accepted=False, result="ALREADY_CHECKED_IN").count() == 1


def test_accepted_scan_publishes_and_audits_once(staff, event, ticket):
    response = scan(staff, event, ticket.ticket_code)
    assert published() == [response.json()]
    assert AuditEntry.objects.filter(action="checkin.completed", object_id=response.json()["id"]).count() == 1
    scan(staff, event, ticket.ticket_code)
    scan(staff, event, "unknown-code")
    assert len(published()) == 1
    assert AuditEntry.objects.filter(action="checkin.completed").count() == 1


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (RegistrationStatus.CANCELLED, "TICKET_CANCELLED"),
        (RegistrationStatus.PENDING_PAYMENT, "TICKET_NOT_PAID"),
        (RegistrationStatus.WAITLISTED, "TICKET_WAITLISTED"),
    ],
)
def test_tickets_that_cannot_enter(staff, event, ticket_type, status, code):
    registration = RegistrationFactory(ticket_type=ticket_type, status=status)
    response = scan(staff, event, registration.ticket_code)
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == code and error["target"] == "code" and error["details"] == {"status": status}
    # Logged although the request answered an error, and nothing published.
    row = CheckIn.objects.get(registration=registration)
    assert (row.accepted, row.result) == (False, code)
    assert published() == []


def test_unknown_code_is_404_and_logged(staff, event):
    response = scan(staff, event, "x" * 100)
    assert response.status_code == 404
    assert error_of(response)["code"] == "TICKET_NOT_FOUND"
    row = CheckIn.objects.get()
    assert row.registration is None and row.result == "TICKET_NOT_FOUND" and row.code == "x" * 64
    assert published() == []


def test_ticket_of_another_event(staff, event, org):
    other = RegistrationFactory(ticket_type=TicketTypeFactory(event=PublishedEventFactory(organization=org)))
    response = scan(staff, event, other.ticket_code)
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "WRONG_EVENT" and error["details"] == {"eventId": str(other.event_id)}
    assert CheckIn.objects.get().result == "WRONG_EVENT"


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({}, "code"),
        ({"code": ""}, "code"),
        ({"code": "abc", "eventId": "not-a-uuid"}, "eventId"),
        ({"code": "abc", "eventId": "00000000-0000-0000-0000-000000000000"}, "eventId"),
        ({"code": "abc", "sessionId": "00000000-0000-0000-0000-000000000000"}, "sessionId"),
        ({"code": "abc", "device": "d" * 201}, "device"),
        ({"code": "y" * 513}, "code"),
    ],
)
def test_bad_input_changes_nothing(staff, event, ticket, body, target):
    before = snapshot()
    response = staff.post(URL, {"eventId": str(event.id), **body}, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert target in {d["target"] for d in error["details"]}
    assert snapshot() == before


def test_unknown_field_is_rejected(staff, event, ticket):
    response = scan(staff, event, ticket.ticket_code, foo=1)
    assert response.status_code == 400 and error_of(response)["code"] == "UNKNOWN_FIELD"
    assert not CheckIn.objects.exists()


def test_permissions(api, member, event, ticket):
    viewer = api(member(Role.VIEWER))
    assert scan(viewer, event, ticket.ticket_code).status_code == 403
    assert viewer.get(URL).status_code == 200
    editor = api(member(Role.EDITOR))  # registrations.manage, but not checkin.perform
    assert scan(editor, event, ticket.ticket_code).status_code == 403
    assert not CheckIn.objects.exists()
    assert scan(api(member(Role.ADMIN)), event, ticket.ticket_code).status_code == 201


# -- nonce --------------------------------------------------------------------------------------
def test_nonce_replays_the_original_result(staff, event, ticket):
    first = scan(staff, event, ticket.ticket_code, nonce="n-1", device="Gate 1")
    assert first.status_code == 201
    retry = scan(staff, event, ticket.ticket_code, nonce="n-1", device="Gate 1")
    assert retry.status_code == 201 and retry.json() == first.json()
    assert retry["Nonce-Replayed"] == "true"
    assert CheckIn.objects.count() == 1 and len(published()) == 1
    # A new nonce is a new scan.
    assert error_of(scan(staff, event, ticket.ticket_code, nonce="n-2"))["code"] == "ALREADY_CHECKED_IN"


def test_nonce_replays_a_refusal_and_is_per_scanner(staff, api, member, event, ticket_type):
    waiting = RegistrationFactory(ticket_type=ticket_type, status=RegistrationStatus.WAITLISTED)
    first = scan(staff, event, waiting.ticket_code, nonce="n-1")
    retry = scan(staff, event, waiting.ticket_code, nonce="n-1")
    assert error_of(first)["code"] == error_of(retry)["code"] == "TICKET_WAITLISTED"
    assert CheckIn.objects.count() == 1
    other = api(member(Role.CHECKIN, email="door2@acme.example"))
    assert error_of(scan(other, event, waiting.ticket_code, nonce="n-1"))["code"] == "TICKET_WAITLISTED"
    assert CheckIn.objects.count() == 2


def test_nonce_with_another_code_is_a_new_scan(staff, event, ticket_type):
    a, b = RegistrationFactory(ticket_type=ticket_type), RegistrationFactory(ticket_type=ticket_type)
    assert scan(staff, event, a.ticket_code, nonce="n").status_code == 201
    assert scan(staff, event, b.ticket_code, nonce="n").status_code == 201
    assert CheckIn.objects.filter(accepted=True).count() == 2


# -- sessions -----------------------------------------------------------------------------------
def test_session_check_in_is_separate_from_event_entry(staff, event, ticket):
    keynote, workshop = SessionFactory(event=event), SessionFactory(event=event)
    # Session check-in does not need event entry first.
    response = scan(staff, event, ticket.ticket_code, sessionId=str(keynote.id))
    assert response.status_code == 201 and response.json()["sessionId"] == str(keynote.id)
    again = scan(staff, event, ticket.ticket_code, sessionId=str(keynote.id))
    assert error_of(again)["code"] == "ALREADY_CHECKED_IN"
    assert error_of(again)["details"]["sessionId"] == str(keynote.id)
    assert scan(staff, event, ticket.ticket_code, sessionId=str(workshop.id)).status_code == 201
    assert scan(staff, event, ticket.ticket_code).status_code == 201
    assert CheckIn.objects.filter(accepted=True).count() == 3
    assert len(published()) == 3


def test_session_of_another_event_is_400(staff, event, org, ticket):
    foreign = SessionFactory(event=PublishedEventFactory(organization=org))
    response = scan(staff, event, ticket.ticket_code, sessionId=str(foreign.id))
    assert response.status_code == 400
    assert error_of(response)["details"][0]["target"] == "sessionId"
    assert not CheckIn.objects.exists()


# -- undo ---------------------------------------------------------------------------------------
def test_undo_then_check_in_again(staff, event, ticket):
    first = scan(staff, event, ticket.ticket_code).json()
    response = staff.delete(f"{URL}/{first['id']}")
    assert response.status_code == 204
    undone = staff.get(f"{URL}/{first['id']}").json()
    assert undone["undoneAt"] is not None and undone["undoneBy"] == "door@acme.example"
    assert AuditEntry.objects.filter(action="checkin.undone", object_id=first["id"]).count() == 1
    again = scan(staff, event, ticket.ticket_code)
    assert again.status_code == 201 and again.json()["id"] != first["id"]
    assert len(published()) == 2

    twice = staff.delete(f"{URL}/{first['id']}")
    assert twice.status_code == 409 and error_of(twice)["code"] == "CHECKIN_NOT_UNDOABLE"


def test_undo_of_a_refused_scan_is_409_and_viewers_cannot_undo(staff, api, member, event):
    row = scan(staff, event, "nope")
    row_id = CheckIn.objects.get().id
    assert row.status_code == 404
    assert error_of(staff.delete(f"{URL}/{row_id}"))["code"] == "CHECKIN_NOT_UNDOABLE"
    assert api(member(Role.VIEWER)).delete(f"{URL}/{row_id}").status_code == 403


def test_undo_unknown_is_404(staff):
    response = staff.delete(f"{URL}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and error_of(response)["code"] == "RESOURCE_NOT_FOUND"


# -- list ---------------------------------------------------------------------------------------
def test_list_and_filters(staff, event, ticket, ticket_type):
    session = SessionFactory(event=event)
    ok = scan(staff, event, ticket.ticket_code).json()
    scan(staff, event, ticket.ticket_code)
    scan(staff, event, ticket.ticket_code, sessionId=str(session.id))
    other = RegistrationFactory(ticket_type=ticket_type)
    scan(staff, event, other.ticket_code)

    def ids(query: str = "") -> list[str]:
        response = staff.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["data"]]

    assert len(ids()) == 4
    assert len(ids("accepted=true")) == 3 and len(ids("accepted=false")) == 1
    assert len(ids(f"session={session.id}")) == 1
    assert len(ids(f"registration={ticket.id}")) == 3
    assert ok["id"] in ids(f"event={event.id}&registration={ticket.id}&accepted=true")
    assert ids(f"event={PublishedEventFactory(organization=event.organization).id}") == []
    bad = staff.get(f"{URL}?accepted=maybe")
    assert bad.status_code == 400 and error_of(bad)["code"] == "VALIDATION_ERROR"


def test_registrations_checked_in_filter(staff, client_owner, event, ticket, ticket_type):
    absent = RegistrationFactory(ticket_type=ticket_type)
    session_only = RegistrationFactory(ticket_type=ticket_type)
    scan(staff, event, ticket.ticket_code)
    scan(staff, event, session_only.ticket_code, sessionId=str(SessionFactory(event=event).id))

    def ids(value: str) -> set[str]:
        return {r["id"] for r in client_owner.get(f"/api/v1/registrations?checkedIn={value}").json()["data"]}

    assert ids("true") == {str(ticket.id)}
    assert ids("false") == {str(absent.id), str(session_only.id)}
    undo = CheckIn.objects.get(registration=ticket)
    staff.delete(f"{URL}/{undo.id}")
    assert ids("true") == set()
    assert client_owner.get("/api/v1/registrations?checkedIn=maybe").status_code == 400


def test_stats_check_in_rate(staff, client_owner, event, ticket, ticket_type):
    RegistrationFactory(ticket_type=ticket_type)
    RegistrationFactory(ticket_type=ticket_type, status=RegistrationStatus.CANCELLED)
    url = f"/api/v1/events/{event.id}/stats"
    assert client_owner.get(url).json()["checkIns"] == {"checkedIn": 0, "checkInRate": 0}
    scan(staff, event, ticket.ticket_code)
    assert client_owner.get(url).json()["checkIns"] == {"checkedIn": 1, "checkInRate": 0.5}
    empty = PublishedEventFactory(organization=event.organization)
    assert client_owner.get(f"/api/v1/events/{empty.id}/stats").json()["checkIns"] == {"checkedIn": 0, "checkInRate": 0}


# -- bulk ---------------------------------------------------------------------------------------
def test_bulk_results_in_input_order_with_duplicates(staff, event, ticket_type, org):
    a, b = RegistrationFactory(ticket_type=ticket_type), RegistrationFactory(ticket_type=ticket_type)
    paid = RegistrationFactory(
        ticket_type=TicketTypeFactory(event=event, price=Decimal("10")), status=RegistrationStatus.PENDING_PAYMENT
    )
    elsewhere = RegistrationFactory(ticket_type=TicketTypeFactory(event=PublishedEventFactory(organization=org)))
    scan(staff, event, b.ticket_code)  # b is in already
    codes = [a.ticket_code, "nope", b.ticket_code, a.ticket_code, paid.ticket_code, elsewhere.ticket_code]
    response = staff.post(f"{URL}/bulk", {"eventId": str(event.id), "device": "Scanner 7", "codes": codes}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["checkedIn"], body["rejected"]) == (1, 5)
    results = body["results"]
    assert [r["index"] for r in results] == list(range(6))
    assert [r["code"] for r in results] == codes
    assert [r["status"] for r in results] == [201, 404, 409, 409, 409, 409]
    assert [r["checkIn"]["result"] for r in results] == [
        "ok",
        "TICKET_NOT_FOUND",
        "ALREADY_CHECKED_IN",
        "ALREADY_CHECKED_IN",
        "TICKET_NOT_PAID",
        "WRONG_EVENT",
    ]
    assert results[0]["error"] is None
    assert results[3]["error"]["code"] == "ALREADY_CHECKED_IN"
    assert results[3]["error"]["details"]["checkInId"] == results[0]["checkIn"]["id"]
    assert results[3]["error"]["details"]["device"] == "Scanner 7"
    assert results[2]["error"]["details"]["device"] == ""
    assert results[1]["checkIn"]["registrationId"] is None
    # Every scan logged; one more outbox row (for a); one audit entry for the batch.
    assert CheckIn.objects.count() == 7
    assert CheckIn.objects.filter(registration=a, accepted=True).count() == 1
    assert len(published()) == 2
    assert published()[1] == results[0]["checkIn"]
    assert AuditEntry.objects.filter(action="checkin.bulk").get().changes["accepted"] == 1


def test_bulk_outbox_rows_carry_the_correlation_id(staff, event, ticket):
    response = staff.post(
        f"{URL}/bulk", {"eventId": str(event.id), "codes": [ticket.ticket_code]}, format="json", HTTP_X_CORRELATION_ID="bulk-1"
    )
    assert response.status_code == 200
    assert OutboxEvent.objects.get(event_type="checkin.completed").correlation_id == "bulk-1"


def test_bulk_into_a_session(staff, event, ticket):
    session = SessionFactory(event=event)
    body = {"eventId": str(event.id), "sessionId": str(session.id), "codes": [ticket.ticket_code]}
    response = staff.post(f"{URL}/bulk", body, format="json")
    assert response.json()["results"][0]["checkIn"]["sessionId"] == str(session.id)
    assert staff.post(f"{URL}/bulk", body, format="json").json()["results"][0]["status"] == 409


@pytest.mark.parametrize(
    "codes",
    [[], ["c"] * 1001, "not-a-list", [None]],
)
def test_bulk_bad_input(staff, event, codes):
    before = snapshot()
    response = staff.post(f"{URL}/bulk", {"eventId": str(event.id), "codes": codes}, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert snapshot() == before


def test_bulk_of_1000_codes(staff, event, ticket_type, django_assert_max_num_queries):
    regs = [RegistrationFactory.build(ticket_type=ticket_type) for _ in range(1000)]
    Registration.objects.bulk_create(regs)
    codes = [r.ticket_code for r in regs]
    # Set-based: constant queries. SQLite splits bulk inserts (the scans, their outbox, audit and change rows) at its
    # 999-variable limit, PostgreSQL does not.
    with django_assert_max_num_queries(12 if connection.vendor == "postgresql" else 45):
        response = staff.post(f"{URL}/bulk", {"eventId": str(event.id), "codes": codes}, format="json")
    assert response.status_code == 200
    assert response.json()["checkedIn"] == 1000
    assert OutboxEvent.objects.filter(event_type="checkin.completed").count() == 1000


def test_bulk_needs_checkin_permission(api, member, event, ticket):
    response = api(member(Role.EDITOR)).post(
        f"{URL}/bulk", {"eventId": str(event.id), "codes": [ticket.ticket_code]}, format="json"
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


# -- model admin (platform superusers; organizers see check-ins in the console) ---------------------
def test_the_model_admin_lists_check_ins_read_only(console, root, staff, event, ticket):
    scan(staff, event, ticket.ticket_code)
    client = console(root)
    response = client.get("/admin/registrations/checkin/")
    assert response.status_code == 200
    assert "Ada Lovelace" in response.content.decode()
    row = CheckIn.objects.get()
    assert client.get(f"/admin/registrations/checkin/{row.id}/change/").status_code == 200
    assert client.post(f"/admin/registrations/checkin/{row.id}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/registrations/checkin/add/").status_code == 403
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_a_draft_or_cancelled_event_takes_no_check_ins_and_logs_the_scan(staff, event, ticket, status):
    event.status = status
    event.save(update_fields=["status"])

    response = scan(staff, event, ticket.ticket_code)

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "CHECKIN_CLOSED" and error["details"] == {"eventStatus": status}
    row = CheckIn.objects.get()
    assert not row.accepted and row.result == "CHECKIN_CLOSED"
    assert published() == []
    bulk = staff.post(f"{URL}/bulk", {"eventId": str(event.id), "codes": [ticket.ticket_code]}, format="json")
    assert bulk.status_code == 200 and bulk.json()["results"][0]["error"]["code"] == "CHECKIN_CLOSED"


def test_a_completed_event_takes_late_scans_while_its_window_lasts(staff, event, ticket):
    # It ended an hour ago (and was completed); the organizer keeps check-in open two hours past the end.
    now = timezone.now()
    event.starts_at, event.ends_at = now - dt.timedelta(hours=9), now - dt.timedelta(hours=1)
    event.check_in_closes_minutes_after_end = 120
    event.status = "completed"
    event.save()
    assert scan(staff, event, ticket.ticket_code).status_code == 201


def test_a_cancelled_session_takes_no_check_ins(staff, event, ticket):
    session = SessionFactory(event=event, status="cancelled")
    response = scan(staff, event, ticket.ticket_code, sessionId=str(session.id))
    assert response.status_code == 409
    assert error_of(response)["details"] == {"sessionStatus": "cancelled"}
    assert published() == []


# -- the check-in window ----------------------------------------------------------------------
def refusals(staff: Any, event: Any, code: str, session: Any) -> list[tuple[int, str, Any]]:
    """The answer of each check-in path (one scan, one session scan, bulk) as (status, code, details)."""
    one = scan(staff, event, code)
    in_session = scan(staff, event, code, sessionId=str(session.id))
    bulk = staff.post(f"{URL}/bulk", {"eventId": str(event.id), "codes": [code]}, format="json")
    assert bulk.status_code == 200 and bulk.json()["checkedIn"] == 0
    [result] = bulk.json()["results"]
    return [
        (one.status_code, error_of(one)["code"], error_of(one)["details"]),
        (in_session.status_code, error_of(in_session)["code"], error_of(in_session)["details"]),
        (result["status"], result["error"]["code"], result["error"]["details"]),
    ]


def test_a_scan_four_weeks_early_is_refused_on_every_path_and_logged(staff, org):
    early = PublishedEventFactory(organization=org, starts_at=timezone.now() + dt.timedelta(weeks=4))
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=early))
    window = {"opensAt": iso(early.starts_at - dt.timedelta(hours=24)), "closesAt": iso(early.ends_at)}

    assert refusals(staff, early, ticket.ticket_code, SessionFactory(event=early)) == [(409, "CHECKIN_NOT_OPEN", window)] * 3

    rows = CheckIn.objects.all()
    assert rows.count() == 3 and {(r.accepted, r.result) for r in rows} == {(False, "CHECKIN_NOT_OPEN")}
    assert published() == []


def test_a_scan_after_the_end_is_refused_on_every_path(staff, event, ticket):
    now = timezone.now()
    event.starts_at, event.ends_at = now - dt.timedelta(hours=8), now - dt.timedelta(minutes=1)
    event.save()
    window = {"opensAt": iso(event.starts_at - dt.timedelta(hours=24)), "closesAt": iso(event.ends_at)}

    assert refusals(staff, event, ticket.ticket_code, SessionFactory(event=event)) == [(409, "CHECKIN_WINDOW_CLOSED", window)] * 3
    assert published() == []


def test_the_window_includes_both_edges(org, event, ticket):
    opens, closes = event.starts_at - dt.timedelta(hours=24), event.ends_at
    assert (event.check_in_opens_at, event.check_in_closes_at) == (opens, closes)

    def at(moment: dt.datetime) -> str:
        result = services.checkin_scan(actor=SYSTEM, organization=org, event=event, code=ticket.ticket_code, now=moment)
        if result.checkin.accepted:
            services.checkin_undo(actor=SYSTEM, checkin=result.checkin)
        return result.checkin.result

    second = dt.timedelta(seconds=1)
    assert [at(opens - second), at(opens), at(closes), at(closes + second)] == [
        "CHECKIN_NOT_OPEN",
        "ok",
        "ok",
        "CHECKIN_WINDOW_CLOSED",
    ]
    bulk = services.checkins_bulk(actor=SYSTEM, organization=org, event=event, codes=[ticket.ticket_code], now=opens - second)
    assert [row.result for row in bulk.rows] == ["CHECKIN_NOT_OPEN"]


def test_organizers_set_the_window_on_the_event(client_owner, staff, event, ticket):
    # The event starts in an hour: a window opening 30 minutes before it is not open yet.
    url = f"/api/v1/events/{event.id}"
    response = client_owner.patch(url, {"checkInOpensMinutesBeforeStart": 30, "checkInClosesMinutesAfterEnd": 90}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checkInOpensMinutesBeforeStart"] == 30 and body["checkInClosesMinutesAfterEnd"] == 90
    assert body["checkInOpensAt"] == iso(event.starts_at - dt.timedelta(minutes=30))
    assert body["checkInClosesAt"] == iso(event.ends_at + dt.timedelta(minutes=90))
    assert error_of(scan(staff, event, ticket.ticket_code))["code"] == "CHECKIN_NOT_OPEN"

    assert client_owner.patch(url, {"checkInOpensMinutesBeforeStart": 120}, format="json").status_code == 200
    assert scan(staff, event, ticket.ticket_code).status_code == 201
    assert client_owner.get(url).json()["checkInOpensAt"] == iso(event.starts_at - dt.timedelta(hours=2))


@pytest.mark.parametrize("field", ["checkInOpensMinutesBeforeStart", "checkInClosesMinutesAfterEnd"])
@pytest.mark.parametrize("value", [-1, 366 * 24 * 60 + 1, "soon"])
def test_window_offsets_out_of_range_are_400(client_owner, event, field, value):
    response = client_owner.patch(f"/api/v1/events/{event.id}", {field: value}, format="json")
    assert response.status_code == 400 and error_of(response)["code"] == "VALIDATION_ERROR"
    event.refresh_from_db()
    assert (event.check_in_opens_minutes_before_start, event.check_in_closes_minutes_after_end) == (24 * 60, 0)


def test_new_events_default_to_24_hours_before_the_start_until_the_end(client_owner, org):
    venue = PublishedEventFactory(organization=org).venue
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    body = {"title": "Window", "startsAt": iso(starts), "endsAt": iso(starts + dt.timedelta(hours=2)), "venueId": str(venue.id)}
    created = client_owner.post("/api/v1/events", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["checkInOpensMinutesBeforeStart"], data["checkInClosesMinutesAfterEnd"]) == (1440, 0)
    assert (data["checkInOpensAt"], data["checkInClosesAt"]) == (iso(starts - dt.timedelta(days=1)), body["endsAt"])
