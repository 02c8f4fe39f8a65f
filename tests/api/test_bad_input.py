"""No input answers 5xx: each class of bad input is a 4xx in the error format, and nothing is written.

One test per class, on PostgreSQL (the database whose limits the classes come
from: no NUL in text, no date that does not exist, bigint offsets), each
across several endpoints and fields.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.db.models import Max
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKey, Invitation
from accounts.roles import Role
from api.pagination import MAX_OFFSET, MAX_PAGE
from api.payload import MAX_JSON_DEPTH
from core.models import AuditEntry, OutboxEvent
from events.models import Event, Session, Speaker, Venue
from integrations import services as integration_services
from integrations.models import WebhookSubscription
from payments.models import Payment
from registrations.models import CheckIn, Registration, SessionFeedback, TicketType
from tests.conftest import error_of
from tests.factories import SessionFactory, SpeakerFactory, VenueFactory
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TRACKED = (
    Event,
    Session,
    Speaker,
    Venue,
    TicketType,
    Registration,
    CheckIn,
    SessionFeedback,
    Payment,
    WebhookSubscription,
    ApiKey,
    Invitation,
    OutboxEvent,
    AuditEntry,
)


def snapshot() -> list[tuple[str, int, Any]]:
    """Rows and the latest change of every table a request could write."""
    rows = []
    for model in TRACKED:
        latest = model.objects.aggregate(m=Max("updated_at"))["m"] if hasattr(model, "updated_at") else None
        rows.append((model.__name__, model.objects.count(), latest))
    return rows


@pytest.fixture
def world(org: Any, owner: Any) -> dict[str, Any]:
    event = PublishedEventFactory(organization=org, title="Acme Summit")
    session = SessionFactory(event=event)
    ticket_type = TicketTypeFactory(event=event, name="Free", max_per_order=3)
    registration = RegistrationFactory(ticket_type=ticket_type)
    webhook, _ = integration_services.subscription_create(
        actor=owner, organization=org, data={"url": "https://hooks.acme.example/in", "event_types": ["event.*"]}
    )
    return {
        "event": str(event.id),
        "session": str(session.id),
        "speaker": str(SpeakerFactory(event=event).id),
        "venue": str(VenueFactory(organization=org).id),
        "ticket_type": str(ticket_type.id),
        "registration": str(registration.id),
        "webhook": str(webhook.id),
    }


@pytest.fixture
def client(api: Any, owner: Any) -> APIClient:
    client = api(owner)
    client.raise_request_exception = False  # a 500 must show as a failed assertion, not as an exception
    return client


def send(client: APIClient, method: str, url: str, body: Any = None, raw: str | None = None) -> Any:
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    return getattr(client, method)(url, data=data, content_type="application/json")


def refused(response: Any, status: int, code: str, target: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    error = error_of(response)
    assert error["code"] == code, error
    if target is not None:
        targets = [d["target"] for d in error["details"]] if isinstance(error["details"], list) else [error["target"]]
        assert target in targets, error
    return error


EVENT = {"title": "Launch", "startsAt": "2030-05-04T09:00:00Z", "endsAt": "2030-05-04T17:00:00Z", "timeZone": "UTC"}
SESSION = {"title": "Talk", "startsAt": "2030-05-04T10:00:00Z", "endsAt": "2030-05-04T11:00:00Z"}


def order(w: dict[str, Any], **attendee: Any) -> dict[str, Any]:
    return {
        "eventId": w["event"],
        "ticketTypeId": w["ticket_type"],
        "attendees": [{"name": "Ada", "email": "ada@example.com", **attendee}],
    }


# Where a date-time goes in a body: (method, url, body with the value at FIELD, target).
DATE_BODIES = [
    ("post", "/api/v1/events", lambda w, v: {**EVENT, "startsAt": v}, "startsAt"),
    ("patch", "/api/v1/events/{event}", lambda w, v: {"endsAt": v}, "endsAt"),
    ("put", "/api/v1/events/{event}", lambda w, v: {**EVENT, "endsAt": v}, "endsAt"),
    ("post", "/api/v1/events/{event}/sub-events", lambda w, v: {"dates": ["2030-06-01T09:00:00Z", v]}, "dates[1]"),
    ("post", "/api/v1/events/{event}/sessions", lambda w, v: {**SESSION, "endsAt": v}, "endsAt"),
    ("patch", "/api/v1/events/{event}/sessions/{session}", lambda w, v: {"startsAt": v}, "startsAt"),
    ("post", "/api/v1/events/{event}/ticket-types", lambda w, v: {"name": "VIP", "salesStartsAt": v}, "salesStartsAt"),
    ("post", "/api/v1/api-keys", lambda w, v: {"name": "k", "scopes": ["events:read"], "expiresAt": v}, "expiresAt"),
    ("post", "/api/v1/webhooks/{webhook}/recover", lambda w, v: {"since": v}, "since"),
]
IMPOSSIBLE = ["2027-02-30T10:00:00Z", "2026-05-04T25:00:00Z", "2026-05-04T10:61:00Z", "2026-05-04T10:00:61+02:00"]


@pytest.mark.parametrize("value", IMPOSSIBLE)
@pytest.mark.parametrize(("method", "url", "body", "target"), DATE_BODIES, ids=[f"{m} {u} {t}" for m, u, _, t in DATE_BODIES])
def test_a_date_time_that_does_not_exist_in_a_body_is_a_validation_error(client, world, method, url, body, target, value):
    before = snapshot()
    response = send(client, method, url.format(**world), body(world, value))
    error = refused(response, 400, "VALIDATION_ERROR", target)
    assert any("not a date and time that exists" in d["message"] for d in error["details"])
    assert snapshot() == before


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/events?startsAfter=2027-02-30T10:00:00Z",
        "/api/v1/events?endsBefore=2026-05-04T25:00:00Z",
        "/api/v1/events/{event}/sub-events?startsBefore=2026-05-04T10:61:00Z",
        "/api/v1/events/{event}/sessions?startsAfter=2027-02-29T10:00:00Z",
        "/api/v1/payments?createdAfter=2026-04-31T00:00:00Z",
        "/api/v1/reports/revenue?from=2027-02-30",
    ],
)
def test_a_date_that_does_not_exist_in_a_query_filter_is_a_validation_error(client, world, query):
    refused(client.get(query.format(**world)), 400, "VALIDATION_ERROR")


def forged_cursor(values: list[Any], signature_of: str) -> str:
    raw = json.dumps({"v": values, "f": True, "s": signature_of}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_forged_cursor_with_values_the_database_cannot_compare_is_an_invalid_cursor(client, world, org):
    PublishedEventFactory(organization=org)
    first = client.get("/api/v1/events?cursor=&pageSize=1").json()
    payload = first["pagination"]["nextCursor"] or ""
    signature = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["s"]
    for values in (["2027-02-30T10:00:00Z", world["event"]], ["a\x00b", world["event"]], [2**70, 1], [{"a": 1}, 1]):
        refused(client.get(f"/api/v1/events?cursor={forged_cursor(values, signature)}"), 400, "INVALID_CURSOR", None)


@pytest.mark.parametrize("url", ["/api/v1/events", "/api/v1/registrations", "/api/v1/venues", "/api/v1/webhooks"])
@pytest.mark.parametrize(
    ("query", "target"),
    [
        (f"page={MAX_PAGE + 1}", "page"),
        ("page=99999999999999999999999999", "page"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=99999999999999999999999999", "offset"),
        ("limit=99999999999999999999999999", "limit"),
        ("pageSize=99999999999999999999999999", "pageSize"),
        ("page=" + "9" * 5000, "page"),
    ],
)
def test_pagination_beyond_its_documented_maximum_is_refused(client, world, url, query, target):
    error = refused(client.get(f"{url}?{query}"), 400, "INVALID_PAGINATION")
    assert error["target"] == target


def test_pagination_at_its_documented_maximum_answers_an_empty_page(client, world):
    assert client.get(f"/api/v1/events?page={MAX_PAGE}").json()["data"] == []
    assert client.get(f"/api/v1/events?offset={MAX_OFFSET}&limit=200").json()["data"] == []


def nested(depth: int) -> str:
    """A JSON object ``depth`` levels deep: {"a": {"a": ... 1}}."""
    return '{"a":' * (depth - 1) + '{"a":1' + "}" * depth


WRITES = [
    ("post", "/api/v1/events"),
    ("put", "/api/v1/events/{event}"),
    ("post", "/api/v1/registrations"),
    ("patch", "/api/v1/registrations/{registration}"),
    ("post", "/api/v1/registrations/batch"),
    ("post", "/api/v1/checkins/bulk"),
    ("post", "/api/v1/webhooks"),
    ("patch", "/api/v1/events/{event}/registration-settings"),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [
        nested(MAX_JSON_DEPTH + 1),
        "[" * 100_000 + "]" * 100_000,
        nested(5000),
        '{"attendees": [' + nested(40) + "]}",
    ],
    ids=["limit+1", "arrays-100k", "objects-5k", "inside-a-field"],
)
def test_json_nested_beyond_the_documented_depth_is_refused(client, world, method, url, raw):
    before = snapshot()
    refused(send(client, method, url.format(**world), raw=raw), 400, "JSON_TOO_DEEP")
    assert snapshot() == before


def test_json_at_the_documented_depth_is_parsed(client, world):
    error = refused(send(client, "post", "/api/v1/events", raw=nested(MAX_JSON_DEPTH)), 400, "VALIDATION_ERROR", "a")
    assert {"target": "a", "code": "UNKNOWN_FIELD", "message": "This field is not part of the resource."} in error["details"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/{event}",
        "/api/v1/venues/{venue}",
        "/api/v1/events/{event}/sessions/{session}",
        "/api/v1/events/{event}/speakers/{speaker}",
        "/api/v1/events/{event}/ticket-types/{ticket_type}",
        "/api/v1/tickets/validate",
        "/api/v1/events",
    ],
)
def test_options_answers_the_allowed_methods(client, world, url):
    response = client.options(url.format(**world))
    assert response.status_code == 200, response.content[:300]
    assert response.json()["schema"].endswith("/api/schema/")
    assert "OPTIONS" in response["Allow"]


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("/api/v1/events?tag=%00", "tag"),
        ("/api/v1/events?q=a%00b", "q"),
        ("/api/v1/events/{event}/speakers?q=%00", "q"),
        ("/api/v1/events/{event}/ticket-types?q=%00", "q"),
        ("/api/v1/registrations?email=%00", "email"),
        ("/api/v1/events?sort=%00", "sort"),
        ("/api/v1/events?cursor=%00", "cursor"),
        ("/api/v1/events?%00=1", "\\u0000"),
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_validation_error(client, world, query, target):
    error = refused(client.get(query.format(**world)), 400, "VALIDATION_ERROR", target)
    assert error["details"][0]["code"] == "NULL_CHARACTERS_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("method", "url", "body", "target"),
    [
        ("post", "/api/v1/registrations", lambda w: order(w, answers={"diet": "a\x00b"}), "attendees[0].answers.diet"),
        ("post", "/api/v1/registrations", lambda w: order(w, answers={"d\x00iet": "vegan"}), "attendees[0].answers"),
        ("patch", "/api/v1/registrations/{registration}", lambda w: {"answers": {"q": ["x", "\x00"]}}, "answers.q[1]"),
        ("post", "/api/v1/events", lambda w: {**EVENT, "title": "Launch\x00"}, "title"),
        ("post", "/api/v1/registrations/batch", lambda w: {"atomic": True, "items": [{"x": "\x00"}]}, "items[0].x"),
    ],
)
def test_a_nul_character_anywhere_in_a_json_body_is_a_validation_error(client, world, method, url, body, target):
    before = snapshot()
    error = refused(send(client, method, url.format(**world), body(world)), 400, "VALIDATION_ERROR", target)
    assert error["details"][0]["code"] == "NULL_CHARACTERS_NOT_ALLOWED"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        ("1e400", "NOT_FINITE"),
        ("-1e400", "NOT_FINITE"),
        ("NaN", "NOT_FINITE"),
        ("Infinity", "NOT_FINITE"),
        (str(2**63), "OUT_OF_RANGE"),
    ],
)
@pytest.mark.parametrize(
    ("method", "url", "template", "target"),
    [
        ("post", "/api/v1/events", json.dumps({**EVENT, "capacity": "@"}), "capacity"),
        ("post", "/api/v1/events/{event}/ticket-types", '{"name": "VIP", "price": @}', "price"),
        ("post", "/api/v1/registrations", None, "attendees[0].answers.size"),
        ("patch", "/api/v1/events/{event}/registration-settings", '{"pendingPaymentTtlMinutes": @}', "pendingPaymentTtlMinutes"),
    ],
)
def test_a_number_the_database_cannot_store_is_a_validation_error(client, world, method, url, template, target, literal, code):
    if template is None:
        template = json.dumps(order(world, answers={"size": "@"}))
    raw = template.replace('"@"', "@").replace("@", literal)
    before = snapshot()
    error = refused(send(client, method, url.format(**world), raw=raw), 400, "VALIDATION_ERROR", target)
    assert error["details"][0]["code"] == code
    assert snapshot() == before


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"q": {"nested": "object"}}, "string, number, boolean, null, or an array"),
        ({"q": [["nested"]]}, "string, number, boolean, null, or an array"),
        ({f"q{i}": "x" for i in range(51)}, "At most 50 keys"),
        ({"q": "x" * 2001}, "at most 2000 characters"),
        ({"q": ["x"] * 51}, "at most 50 values"),
        ({"": "empty key"}, "keys are 1 to 100 characters"),
        ({"k" * 101: "long key"}, "keys are 1 to 100 characters"),
        ({f"q{i}": "x" * 1000 for i in range(11)}, "10000 bytes"),
    ],
)
def test_free_form_answers_are_limited_in_size_depth_and_value_types(client, world, answers, fragment):
    before = snapshot()
    error = refused(send(client, "post", "/api/v1/registrations", order(world, answers=answers)), 400, "VALIDATION_ERROR")
    assert error["details"][0]["target"] == "attendees[0].answers"
    assert fragment in error["details"][0]["message"]
    assert snapshot() == before


def test_free_form_answers_within_the_limits_are_stored(client, world):
    answers = {"diet": "vegan", "size": ["M", "L"], "age": 42, "ratio": 0.5, "newsletter": False, "note": None}
    response = send(client, "post", "/api/v1/registrations", order(world, answers=answers))
    assert response.status_code == 201, response.content
    assert Registration.objects.get(id=response.json()["data"][0]["id"]).answers == answers


@pytest.fixture
def live_key(org: Any, owner: Any) -> str:
    _, raw = account_services.api_key_create(
        actor=owner, organization=org, data={"name": "sync", "scopes": ["events:read"]}, creator_role=Role.OWNER
    )
    return raw


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer junk"},
        {"HTTP_AUTHORIZATION": "Bearer emp_live_junk"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_AUTHORIZATION": "junk"},
    ],
)
def test_an_invalid_credential_is_refused_whatever_valid_one_comes_with_it(world, live_key, owner, headers):
    with_key = APIClient().get("/api/v1/events", HTTP_X_API_KEY=live_key, **headers)
    assert with_key.status_code == 401 and error_of(with_key)["code"] == "AUTHENTICATION_FAILED"
    session = APIClient()
    session.force_login(owner)
    with_session = session.get("/api/v1/events", **headers)
    assert with_session.status_code == 401 and error_of(with_session)["code"] == "AUTHENTICATION_FAILED"
    assert APIClient().get("/api/v1/events", HTTP_X_API_KEY=live_key).status_code == 200


def test_the_same_key_in_both_headers_is_one_credential(world, live_key):
    response = APIClient().get("/api/v1/events", HTTP_X_API_KEY=live_key, HTTP_AUTHORIZATION=f"Bearer {live_key}")
    assert response.status_code == 200


def test_every_invalid_field_is_reported_at_once(client, world):
    body = {"title": 5, "startsAt": "2027-02-30T10:00:00Z", "endsAt": "soon", "venueId": 7, "colour": "red", "tags": ["a", 3]}
    before = snapshot()
    error = refused(send(client, "post", "/api/v1/events", body), 400, "VALIDATION_ERROR")
    by_target = {d["target"]: d for d in error["details"]}
    assert set(by_target) == {"title", "startsAt", "endsAt", "venueId", "colour", "tags[1]"}
    assert by_target["colour"]["code"] == "UNKNOWN_FIELD"
    assert by_target["title"]["message"] == "Expected a string, not a number."
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "target"),
    [
        (lambda w: {**order(w), "eventId": 5}, "eventId"),
        (lambda w: {**order(w), "ticketTypeId": True}, "ticketTypeId"),
        (lambda w: {**order(w), "eventId": [w["event"]]}, "eventId"),
    ],
)
def test_a_wrong_typed_id_is_a_validation_error_not_a_missing_object(client, world, body, target):
    before = snapshot()
    error = refused(send(client, "post", "/api/v1/registrations", body(world)), 400, "VALIDATION_ERROR", target)
    assert error["details"][0]["target"] == target
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "url", "body", "target"),
    [
        ("post", "/api/v1/venues", {"name": 12345}, "name"),
        ("post", "/api/v1/events/{event}/cancel", {"reason": 1.5}, "reason"),
        ("post", "/api/v1/tickets/validate", {"eventId": "{event}", "code": 123456}, "code"),
        ("post", "/api/v1/registrations", None, "attendees[0].name"),
    ],
)
def test_a_number_is_not_accepted_where_the_schema_says_string(client, world, method, url, body, target):
    body = order(world, name=42) if body is None else json.loads(json.dumps(body).replace("{event}", world["event"]))
    before = snapshot()
    refused(send(client, method, url.format(**world), body), 400, "VALIDATION_ERROR", target)
    assert snapshot() == before


def test_the_index_lists_the_resources_and_links(world):
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["links"]["schema"].endswith("/api/schema/") and body["links"]["docs"].endswith("/api/docs/")
    assert body["links"]["errors"].endswith("/api/errors/") and body["links"]["self"].endswith("/api/v1/")
    resources = {r["name"]: r for r in body["resources"]}
    assert resources["event"]["href"].endswith("/api/v1/events") and not resources["event"]["templated"]
    assert resources["event-session"]["href"].endswith("/api/v1/events/{eventId}/sessions")
    assert resources["event-session"]["templated"]
    assert {"registration", "payment", "webhook", "venue", "user", "ping"} <= set(resources)
    assert all("{id}" not in r["href"] and "{pk}" not in r["href"] for r in body["resources"])
    assert body["version"] == response["X-API-Version"]


def test_the_index_refuses_a_bad_credential(world):
    response = APIClient().get("/api/v1/", HTTP_AUTHORIZATION="Bearer junk")
    assert response.status_code == 401 and error_of(response)["code"] == "AUTHENTICATION_FAILED"


def test_the_index_links_answer(client, world):
    for resource in client.get("/api/v1/").json()["resources"]:
        if not resource["templated"] and resource["name"] in ("event", "venue", "registration", "ping"):
            assert client.get(resource["href"]).status_code == 200, resource


def test_no_operation_of_the_schema_answers_5xx_to_bad_values(client, world):
    """A sweep: every query parameter and JSON body field of every operation, with values of each class above.

    A date that does not exist is still a fine title, so it must only never be a 5xx; the values no field may
    hold (NUL, unstorable numbers) must be refused, so nothing is written.
    """
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    ids = {
        "events": world["event"],
        "sessions": world["session"],
        "speakers": world["speaker"],
        "venues": world["venue"],
        "ticket-types": world["ticket_type"],
        "registrations": world["registration"],
        "webhooks": world["webhook"],
    }
    bad_query = ["\x00", "2027-02-30T10:00:00Z", "9" * 30]
    never_valid = ['"a\\u0000"', "1e400", "NaN", str(2**64), '{"a\\u0000": 1}']
    failures = []
    before = snapshot()
    for path, item in schema["paths"].items():
        segments = path.split("/")
        url = "/".join(
            (world["event"] if s == "{eventId}" else world["session"] if s == "{sessionId}" else ids.get(segments[i - 1], s))
            if s.startswith("{")
            else s
            for i, s in enumerate(segments)
        )
        if "{" in url:
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch"):
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    for value in bad_query:
                        response = client.get(url, {parameter["name"]: value}) if method == "get" else None
                        if response is not None and response.status_code >= 500:  # an unknown value may filter nothing
                            failures.append((method, url, parameter["name"], value))
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if method == "get" or content is None:
                continue
            ref = content["schema"].get("$ref", "")
            for field in components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
                for value in never_valid:
                    response = send(client, method, url, raw=f'{{"{field}": {value}}}')
                    if response.status_code != 400:
                        failures.append((method, url, field, value, response.status_code))
                response = send(client, method, url, raw=f'{{"{field}": "2027-02-30T10:00:00Z"}}')
                if response.status_code >= 500:
                    failures.append((method, url, field, "2027-02-30", response.status_code))
                if response.status_code < 300:
                    before = snapshot()  # a date-like title: accepted, as it should be
    assert failures == []
    assert snapshot() == before


def test_an_offset_date_that_leaves_the_calendar_is_a_validation_error(client, world):
    before = snapshot()
    for value in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        refused(
            send(client, "post", "/api/v1/events/{event}/sessions".format(**world), {**SESSION, "startsAt": value}),
            400,
            "VALIDATION_ERROR",
            "startsAt",
        )
    assert snapshot() == before


def test_text_longer_than_its_column_is_a_validation_error(client, world):
    before = snapshot()
    email = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "@" + "e" * 50 + ".example"  # longer than 254
    refused(send(client, "post", "/api/v1/invitations", {"email": email, "role": "editor"}), 400, "VALIDATION_ERROR", "email")
    assert snapshot() == before
