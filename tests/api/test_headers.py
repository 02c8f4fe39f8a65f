"""Request headers every endpoint honours: X-Correlation-ID, X-API-Version, X-Organization-ID."""

from __future__ import annotations

import logging
import uuid

import pytest

from accounts.roles import Role
from core.correlation import CorrelationIdFilter
from tests.conftest import error_of
from tests.factories import EventFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(CorrelationIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records():
    """Records of django.request and api, passed through the correlation filter as the console handler does."""
    handler = _Collect()
    loggers = [logging.getLogger("django.request"), logging.getLogger("api")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


# -- X-Correlation-ID ----------------------------------------------------------------
def test_correlation_id_is_echoed(client_owner):
    response = client_owner.get("/api/v1/events", HTTP_X_CORRELATION_ID="abc-123")
    assert response["X-Correlation-ID"] == "abc-123"


def test_correlation_id_is_generated_when_absent(client_owner):
    response = client_owner.get("/api/v1/events")
    assert uuid.UUID(response["X-Correlation-ID"])


def test_each_request_gets_its_own_generated_id(client_owner):
    assert client_owner.get("/api/v1/events")["X-Correlation-ID"] != client_owner.get("/api/v1/events")["X-Correlation-ID"]


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "<script>", "a\tb"])
def test_unsafe_correlation_id_is_replaced(client_owner, bad):
    response = client_owner.get("/api/v1/events", HTTP_X_CORRELATION_ID=bad)
    echoed = response["X-Correlation-ID"]
    assert echoed != bad
    assert uuid.UUID(echoed)


def test_error_body_carries_the_correlation_id(client_owner):
    response = client_owner.get(f"/api/v1/events/{uuid.uuid4()}", HTTP_X_CORRELATION_ID="trace-404")
    assert error_of(response)["correlationId"] == "trace-404"


def test_correlation_id_is_in_the_request_log_lines(client_owner, log_records):
    response = client_owner.get(f"/api/v1/events/{uuid.uuid4()}", HTTP_X_CORRELATION_ID="trace-in-logs")
    assert response.status_code == 404
    warnings = [r for r in log_records if r.name == "django.request" and r.levelno == logging.WARNING]
    assert warnings, "django.request logs the 404"
    assert all(r.correlation_id == "trace-in-logs" for r in warnings)


def test_generated_correlation_id_is_in_the_log_lines(client_owner, log_records):
    response = client_owner.get("/api/v1/nothing-here")
    warnings = [r for r in log_records if r.name == "django.request"]
    assert warnings
    assert warnings[-1].correlation_id == response["X-Correlation-ID"]


def test_unhandled_error_is_logged_with_the_correlation_id(monkeypatch, owner, log_records):
    from rest_framework.test import APIClient

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("events.selectors.event_list", boom)
    client = APIClient(raise_request_exception=False)
    client.force_login(owner)
    response = client.get("/api/v1/events", HTTP_X_CORRELATION_ID="trace-500")
    assert response.status_code == 500
    errors = [r for r in log_records if r.levelno >= logging.ERROR]
    assert errors
    assert {r.correlation_id for r in errors} == {"trace-500"}
    assert any(r.exc_info for r in errors), "the traceback goes to the log, not the body"


def test_logging_config_formats_the_correlation_id(settings):
    config = settings.LOGGING
    assert "%(correlation_id)s" in config["formatters"]["text"]["format"]
    assert config["formatters"]["json"] == {"()": "core.logs.JsonFormatter"}  # correlationId in every JSON line
    assert "correlation" in config["handlers"]["console"]["filters"]


# -- X-API-Version -------------------------------------------------------------------
def test_version_defaults_to_1_0(client_owner):
    response = client_owner.get("/api/v1/events")
    assert response["X-API-Version"] == "1.0"
    assert "X-API-Version" in response["Vary"]


@pytest.mark.parametrize("version", ["1", "1.0", " 1.0 "])
def test_supported_versions_are_accepted(client_owner, version):
    response = client_owner.get("/api/v1/events", HTTP_X_API_VERSION=version)
    assert response.status_code == 200
    assert response["X-API-Version"] == "1.0"


@pytest.mark.parametrize("version", ["2.0", "abc", "1.1", "0"])
def test_unsupported_version_is_400(client_owner, version):
    response = client_owner.get("/api/v1/events", HTTP_X_API_VERSION=version)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UNSUPPORTED_API_VERSION"
    assert error["target"] == "X-API-Version"
    assert "1.0" in error["details"]


def test_version_is_echoed_on_errors(client_owner):
    response = client_owner.get(f"/api/v1/events/{uuid.uuid4()}")
    assert response["X-API-Version"] == "1.0"


# -- X-Organization-ID ---------------------------------------------------------------
@pytest.fixture
def two_org_user(org, other_org):
    user = UserFactory()
    MembershipFactory(user=user, organization=org, role=Role.VIEWER)
    MembershipFactory(user=user, organization=other_org, role=Role.OWNER)
    return user


def test_organization_header_selects_among_the_users_organizations(api, org, other_org, two_org_user):
    in_a = EventFactory(organization=org)
    in_b = EventFactory(organization=other_org)
    a = api(two_org_user, organization=org).get("/api/v1/events")
    b = api(two_org_user, organization=other_org).get("/api/v1/events")
    assert [e["id"] for e in a.json()["data"]] == [str(in_a.id)]
    assert [e["id"] for e in b.json()["data"]] == [str(in_b.id)]


def test_organization_header_selects_the_role(api, org, other_org, two_org_user):
    body = {"name": "Hall"}
    assert api(two_org_user, organization=org).post("/api/v1/venues", body, format="json").status_code == 403
    assert api(two_org_user, organization=other_org).post("/api/v1/venues", body, format="json").status_code == 201


def test_without_header_the_first_membership_is_used(api, org, two_org_user):
    EventFactory(organization=org)
    response = api(two_org_user).get("/api/v1/events")
    assert response.json()["pagination"]["totalCount"] == 1


@pytest.mark.parametrize("header", ["other", "not-a-uuid", "random"])
def test_organization_the_user_is_not_in_is_404(api, owner, other_org, header):
    value = {"other": str(other_org.id), "not-a-uuid": "acme", "random": str(uuid.uuid4())}[header]
    response = api(owner).get("/api/v1/events", HTTP_X_ORGANIZATION_ID=value)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "ORGANIZATION_NOT_FOUND"
    assert error["target"] == "X-Organization-ID"


def test_user_without_organization_gets_403_but_has_a_profile(api):
    loner = UserFactory()
    client = api(loner)
    response = client.get("/api/v1/events")
    assert response.status_code == 403
    assert error_of(response)["code"] == "NO_ORGANIZATION"
    me = client.get("/api/v1/users/me")
    assert me.status_code == 200
    assert me.json()["memberships"] == []
