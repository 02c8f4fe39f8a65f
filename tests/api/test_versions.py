"""Minor versions through one registry, and Deprecation (RFC 9745) / Sunset (RFC 8594) headers with the six-month rule."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from django.test import RequestFactory

from accounts.roles import Role
from api import versions
from api.casing import public_path
from api.schema import mark_deprecations
from api.versions import MINIMUM_NOTICE, Deprecation, PolicyViolation, Version, check_policy, deprecate
from tests.factories import EventFactory

DEPRECATED_ON = dt.date(2026, 11, 1)
SUNSET_ON = dt.date(2027, 5, 1)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Deprecation]]:
    """The deprecation registry, emptied for the test and restored after it."""
    entries: list[Deprecation] = []
    monkeypatch.setattr(versions, "DEPRECATIONS", entries)
    yield entries


@pytest.fixture
def minor_1_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "VERSIONS", (*versions.VERSIONS, Version("1.1", dt.date(2027, 1, 1), ("A change.",))))


# -- Versions ----------------------------------------------------------------------------------------------


def test_every_registered_version_is_1_x_in_release_order_and_the_default_is_one_of_them() -> None:
    numbers = versions.supported()
    assert numbers[0] == "1.0" and versions.DEFAULT_VERSION in numbers
    assert all(number.startswith("1.") for number in numbers)  # the major version is the path's
    released = [version.released for version in versions.VERSIONS]
    assert released == sorted(released) and len(set(numbers)) == len(numbers)
    assert all(version.changes for version in versions.VERSIONS)


@pytest.mark.django_db
def test_an_unknown_version_is_refused_with_the_supported_list(api: Any, member: Any, minor_1_1: None) -> None:
    client = api(member(Role.VIEWER))
    response = client.get("/api/v1/ping", HTTP_X_API_VERSION="1.7")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "UNSUPPORTED_API_VERSION"
    assert error["details"] == "Supported versions: 1.0, 1.1"
    assert error["target"] == "X-API-Version"
    served = client.get("/api/v1/ping", HTTP_X_API_VERSION="1.1")
    assert served.status_code == 200 and served["X-API-Version"] == "1.1"


def test_code_asks_the_registry_whether_a_request_has_a_versions_behaviour(minor_1_1: None) -> None:
    request = RequestFactory().get("/api/v1/events")
    request.api_version = "1.0"  # type: ignore[attr-defined]
    assert versions.at_least(request, "1.0") and not versions.at_least(request, "1.1")
    request.api_version = "1.1"  # type: ignore[attr-defined]
    assert versions.at_least(request, "1.1")
    with pytest.raises(ValueError, match="not in the registry"):
        versions.at_least(request, "1.2")


# -- Deprecations --------------------------------------------------------------------------------------


def test_no_sunset_comes_less_than_six_months_after_its_deprecation() -> None:
    """The policy of spec §11.3, over every deprecation the platform declares."""
    for entry in versions.DEPRECATIONS:
        assert entry.sunset_on >= entry.deprecated_on + MINIMUM_NOTICE, entry
        check_policy(entry)


def test_a_deprecation_with_less_notice_is_refused(registry: list[Deprecation]) -> None:
    with pytest.raises(PolicyViolation, match="less than six months"):
        deprecate(
            "operation",
            method="GET",
            route="/api/v1/events",
            deprecated_on=DEPRECATED_ON,
            sunset_on=DEPRECATED_ON + dt.timedelta(days=180),  # 30 April: one day short
            migration="/portal/guide/",
            replacement="-",
        )
    assert registry == []
    deprecate(
        "operation",
        method="GET",
        route="/api/v1/events",
        deprecated_on=DEPRECATED_ON,
        sunset_on=dt.date(2027, 5, 1),  # exactly six months
        migration="/portal/guide/",
        replacement="-",
    )
    assert len(registry) == 1


def test_each_declared_deprecation_names_a_route_of_the_api(client: Any) -> None:
    from django.urls import get_resolver

    from core.metrics import route_template

    def routes(resolver: Any, prefix: str = "") -> Iterator[str]:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern, prefix + str(pattern.pattern))
            else:
                yield route_template(prefix + str(pattern.pattern))

    known = set(routes(get_resolver()))
    assert all(entry.route in known for entry in versions.DEPRECATIONS)
    assert "/api/v1/events/{pk}" in known  # the check can tell


def check_headers(response: Any, *, deprecated_on: dt.date = DEPRECATED_ON, sunset_on: dt.date = SUNSET_ON) -> None:
    assert response["Deprecation"] == f"@{int(dt.datetime.combine(deprecated_on, dt.time(), tzinfo=dt.UTC).timestamp())}"
    assert parsedate_to_datetime(response["Sunset"]) == dt.datetime.combine(sunset_on, dt.time(), tzinfo=dt.UTC)
    assert response["Sunset"].endswith(" GMT")


@pytest.mark.django_db
def test_a_deprecated_operation_answers_with_deprecation_sunset_and_a_link_to_its_migration_note(
    api: Any, member: Any, org: Any, registry: list[Deprecation], settings: Any
) -> None:
    settings.SITE_URL = "https://events.example"
    deprecate(
        "operation",
        method="GET",
        route="/api/v1/events/{pk}",
        deprecated_on=DEPRECATED_ON,
        sunset_on=SUNSET_ON,
        migration="/portal/guide/migrations/event-detail",
        replacement="GET /api/v1/events?id=...",
    )
    client = api(member(Role.VIEWER))
    event = EventFactory(organization=org)
    response = client.get(f"/api/v1/events/{event.pk}")
    assert response.status_code == 200
    check_headers(response)
    assert (
        response["Link"] == '<https://events.example/portal/guide/migrations/event-detail>; rel="deprecation"; type="text/html"'
    )
    listed = client.get("/api/v1/events")
    assert "Deprecation" not in listed and "Sunset" not in listed  # another operation: nothing said
    deleted = client.delete(f"/api/v1/events/{event.pk}")
    assert "Deprecation" not in deleted  # same path, another method


@pytest.mark.django_db
def test_a_deprecated_parameter_is_announced_only_to_requests_that_send_it_and_keeps_the_pagination_links(
    api: Any, member: Any, org: Any, registry: list[Deprecation]
) -> None:
    deprecate(
        "parameter",
        method="GET",
        route="/api/v1/events",
        name="startsAfter",
        deprecated_on=DEPRECATED_ON,
        sunset_on=SUNSET_ON,
        migration="https://docs.example/migrations/starts-after",
        replacement="startsFrom",
    )
    client = api(member(Role.VIEWER))
    EventFactory.create_batch(3, organization=org)
    plain = client.get("/api/v1/events", {"pageSize": 1})
    assert plain.status_code == 200 and "Deprecation" not in plain
    response = client.get("/api/v1/events", {"pageSize": 1, "startsAfter": "2020-01-01T00:00:00Z"})
    assert response.status_code == 200
    check_headers(response)
    links = response["Link"]
    assert 'rel="next"' in links  # the pagination links are kept
    assert links.endswith('<https://docs.example/migrations/starts-after>; rel="deprecation"; type="text/html"')


@pytest.mark.django_db
def test_a_deprecated_field_is_announced_on_its_operation_with_the_earliest_dates(
    api: Any, member: Any, registry: list[Deprecation]
) -> None:
    for name, deprecated_on, sunset_on in [
        ("tier", DEPRECATED_ON, SUNSET_ON),
        ("kind", dt.date(2026, 12, 1), dt.date(2027, 6, 1)),
    ]:
        deprecate(
            "field",
            method="GET",
            route="/api/v1/ping",
            name=name,
            deprecated_on=deprecated_on,
            sunset_on=sunset_on,
            migration=f"/portal/guide/migrations/ping-{name}",
            replacement="-",
        )
    response = api(member(Role.VIEWER)).get("/api/v1/ping")
    assert response.status_code == 200
    check_headers(response)  # the earliest deprecation and the earliest sunset
    assert response["Link"].count('rel="deprecation"') == 2


# -- The OpenAPI document says it too ------------------------------------------------------------------


def deprecated_in(doc: dict[str, Any]) -> set[str]:
    """Every ``deprecated: true`` of the document: operations, their query parameters, and schema properties."""
    found: set[str] = set()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            if operation.get("deprecated"):
                found.add(f"operation {method.upper()} {path}")
            found |= {
                f"parameter {method.upper()} {path} {p['name']}" for p in operation.get("parameters", []) if p.get("deprecated")
            }

    def walk(schema: Any, where: str) -> None:
        if isinstance(schema, dict):
            for name, child in (schema.get("properties") or {}).items():
                if isinstance(child, dict) and child.get("deprecated"):
                    found.add(f"field {where}.{name}")
            for key, child in schema.items():
                walk(child, f"{where}.{key}" if key not in ("properties",) else where)
        elif isinstance(schema, list):
            for child in schema:
                walk(child, where)

    for name, schema in doc["components"]["schemas"].items():
        walk(schema, name)
    return found


@pytest.fixture
def fresh_document() -> Iterator[Any]:
    """``document()`` generated anew for the test (it is kept per process), and forgotten after it."""
    from api import schema

    schema._documents.clear()
    yield schema.document
    schema._documents.clear()


def test_the_shipped_document_marks_deprecated_exactly_what_the_registry_declares(fresh_document: Any) -> None:
    """No ``deprecated`` flag without the headers that announce it, and none of the registry's missing."""
    expected = set()
    for entry in versions.DEPRECATIONS:
        path = public_path(entry.route.replace("{pk}", "{id}")).rstrip("/")
        if entry.kind == "operation":
            expected.add(f"operation {entry.method} {path}")
        elif entry.kind == "parameter":
            expected.add(f"parameter {entry.method} {path} {entry.name}")
    marked = deprecated_in(fresh_document())
    assert {m for m in marked if not m.startswith("field ")} == expected
    assert bool([m for m in marked if m.startswith("field ")]) == any(e.kind == "field" for e in versions.DEPRECATIONS)


def test_deprecated_operations_parameters_and_fields_are_deprecated_in_the_openapi_document(
    registry: list[Deprecation], fresh_document: Any, client: Any
) -> None:
    common = {"deprecated_on": DEPRECATED_ON, "sunset_on": SUNSET_ON, "migration": "/portal/guide/", "replacement": "-"}
    deprecate("operation", method="GET", route="/api/v1/events/{pk}", **common)
    deprecate("parameter", method="GET", route="/api/v1/events", name="startsAfter", **common)
    deprecate("field", method="GET", route="/api/v1/ping", name="rateLimit.tier", **common)
    deprecate("field", method="GET", route="/api/v1/events", name="timeZone", **common)  # a list: its items' field
    doc = fresh_document()
    assert deprecated_in(doc) == {
        "operation GET /api/v1/events/{id}",
        "parameter GET /api/v1/events startsAfter",
        "field PingRateLimit.tier",
        "field Event.timeZone",
    }
    assert "deprecated" not in doc["paths"]["/api/v1/events/{id}"]["delete"]  # same path, another method
    # The served document is the same one.
    served = client.get("/api/schema/", {"format": "json"}).json()
    assert served["paths"]["/api/v1/events/{id}"]["get"]["deprecated"] is True
    assert served["components"]["schemas"]["PingRateLimit"]["properties"]["tier"]["deprecated"] is True
    assert "deprecated" not in served["components"]["schemas"]["PingOrganization"]["properties"]["kind"]


def test_every_declared_deprecation_names_something_of_the_document(fresh_document: Any) -> None:
    assert mark_deprecations(copy.deepcopy(fresh_document()), versions.DEPRECATIONS) == []


def test_a_deprecation_naming_nothing_in_the_document_is_reported(registry: list[Deprecation], fresh_document: Any) -> None:
    common = {"deprecated_on": DEPRECATED_ON, "sunset_on": SUNSET_ON, "migration": "/", "replacement": "-"}
    entries = [
        deprecate("operation", method="GET", route="/api/v1/nothing", **common),
        deprecate("parameter", method="GET", route="/api/v1/events", name="startsAftr", **common),
        deprecate("field", method="GET", route="/api/v1/ping", name="rateLimit.tierr", **common),
        deprecate("field", method="GET", route="/api/v1/ping", name="tier", **common),  # nested: rateLimit.tier
        deprecate("field", method="GET", route="/api/v1/ping", name="kind", **common),
    ]
    doc = fresh_document()  # served all the same
    assert doc["components"]["schemas"]["Ping"]["properties"]["kind"]["deprecated"] is True
    assert mark_deprecations(copy.deepcopy(doc), entries) == [
        "GET /api/v1/nothing is not an operation of the document",
        "GET /api/v1/events has no query parameter startsAftr",
        "GET /api/v1/ping answers no field rateLimit.tierr",
        "GET /api/v1/ping answers no field tier",
    ]
