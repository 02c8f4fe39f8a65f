"""Property-based conformance: schemathesis calls every operation of the OpenAPI document against the WSGI app.

Each operation gets requests generated from its declared parameters and bodies
(a fixed seed, so a failure reproduces), sent with an API key that has every
scope, in an organization full of rows (the ``world`` fixture). Every response
must be no server error, and carry a status code, content type and body that
the document declares for that operation.

One test walks every operation so the organization is built once; each
operation's failures are collected and all are reported together.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from accounts import scopes as scope_table
from accounts import services as account_services
from accounts.roles import Role
from api.schema import document

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SEED = 20261203
# Examples per operation: ~100 operations x 12 requests take under a minute on one core (PostgreSQL).
MAX_EXAMPLES = 12
# Credentials are the test's own key; a generated X-API-Key or cookie would only ever be refused (401).
# A generated organization id or API version is refused before the operation runs; drop them too.
DROPPED_HEADERS = ("X-API-Key", "X-Organization-ID", "X-API-Version")


@pytest.fixture(autouse=True)
def _requests_in_the_test_transaction() -> Iterator[None]:
    # The requests run in this thread and this test's transaction: keep the WSGI handler from closing the connection
    # (django.test.Client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def full_key(world: dict[str, Any]) -> str:
    owner = world["org"].memberships.get(role=Role.OWNER).user
    _, raw = account_services.api_key_create(
        actor=owner,
        organization=world["org"],
        data={"name": "Every scope", "scopes": list(scope_table.API_SCOPES)},
        creator_role=Role.OWNER,
    )
    return raw


# The world's row for the resource a path segment names, so that generated requests also reach real objects.
REAL_IDS = {
    "api-keys": "a_key",
    "audit-log": "a_audit",
    "checkins": "a_checkin",
    "events": "a_event",
    "sessions": "a_session",
    "speakers": "a_speaker",
    "materials": "a_file",
    "ticket-types": "a_ticket_type",
    "invitations": "a_invitation",
    "invoices": "a_invoice",
    "payments": "a_open_payment",
    "registrations": "a_registration",
    "users": "a_editor",
    "venues": "a_venue",
    "webhook-deliveries": "a_delivery",
    "webhooks": "a_webhook",
}


def _real_ids(path: str, ids: dict[str, str]) -> dict[str, str]:
    parts = path.strip("/").split("/")
    found = {}
    for before, part in itertools.pairwise(parts):
        if part.startswith("{") and before in REAL_IDS:
            found[part[1:-1]] = ids[REAL_IDS[before]]
    return found


def _check(operation: Any, key: str, ids: dict[str, str], sent: list[int]) -> None:
    real = _real_ids(operation.path, ids)

    def aim(pair: tuple[Any, bool]) -> Any:
        case, at_real_objects = pair
        if at_real_objects and case.path_parameters:
            case.path_parameters.update(real)
        return case

    @given(case=st.tuples(operation.as_strategy(), st.booleans()).map(aim))
    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for name in DROPPED_HEADERS:
            (case.headers or {}).pop(name, None)
        case.cookies = {}
        sent.append(1)
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

    run()


def test_every_operation_conforms_to_the_schema(world: dict[str, Any], full_key: str) -> None:
    schema = schemathesis.openapi.from_dict(document())
    schema.app = get_wsgi_application()
    failures: dict[str, str] = {}
    sent: list[int] = []
    # The event stream never ends and is served by the ASGI server only (this WSGI app answers 503): its own tests
    # run it over real HTTP (tests/realtime/test_sse.py).
    operations = [result.ok() for result in schema.get_all_operations() if result.ok().path != "/api/v1/stream"]
    assert len(operations) > 90
    # Deletions last, so that the other operations still find the world's rows.
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    for operation in operations:
        try:
            _check(operation, full_key, world["ids"], sent)
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures are reported together
            failures[operation.label] = str(exc)
    print(f"{len(sent)} requests to {len(operations)} operations")
    assert len(sent) >= 5 * len(operations)  # the run really explores, beyond one request an operation
    assert not failures, "\n\n".join(f"== {label}\n{text}" for label, text in failures.items())
