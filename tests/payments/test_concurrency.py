"""Parallel payment creates on PostgreSQL: one payment per registration, never a 5xx."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from accounts.roles import Role
from payments.models import Payment
from tests.conftest import error_of
from tests.payments.factories import paid_event, paid_ticket, pending_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def _parallel(clients: list[Any], body: dict[str, Any], **headers: str) -> list[Any]:
    def post(client: Any) -> Any:
        try:
            return client.post("/api/v1/payments", body, format="json", **headers)
        finally:
            connection.close()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(post, clients))


@pytest.fixture
def order(org, owner):
    return pending_order(owner, paid_ticket(paid_event(org)), "a@example.com", "b@example.com")


def test_one_idempotency_key_retried_in_parallel_makes_one_payment(api, member, order):
    user = member(Role.FINANCE)
    body = {"registrationIds": [str(r.id) for r in order]}
    responses = _parallel([api(user) for _ in range(THREADS)], body, HTTP_IDEMPOTENCY_KEY="pay-order-1")
    statuses = [r.status_code for r in responses]
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {201, 409}, statuses
    assert {error_of(r)["code"] for r in responses if r.status_code == 409} <= {"IDEMPOTENCY_KEY_IN_PROGRESS"}
    assert len({r.json()["id"] for r in responses if r.status_code == 201}) == 1
    assert Payment.objects.count() == 1


def test_parallel_creates_without_a_key_make_one_payment(api, member, order):
    user = member(Role.EDITOR)
    body = {"registrationIds": [str(order[0].id)]}
    responses = _parallel([api(user) for _ in range(THREADS)], body)
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == THREADS - 1
    assert {error_of(r)["code"] for r in responses if r.status_code == 409} == {"PAYMENT_EXISTS"}
    assert Payment.objects.count() == 1
