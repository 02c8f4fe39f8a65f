"""Fixtures shared by the payments tests: a paid event and its standard ticket type."""

import pytest

from tests.payments.factories import paid_event, paid_ticket


@pytest.fixture
def event(org):
    return paid_event(org, title="Acme Summit")


@pytest.fixture
def ticket(event):
    return paid_ticket(event, name="Standard", price="25.00", tax_rate="19.00")
