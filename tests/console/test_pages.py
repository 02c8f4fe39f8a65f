"""Every console page renders for the roles that may open it, with the organization's data and no other's."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_shows_the_events_figures_chart_and_attention(world, as_role):
    response = as_role("owner").get(reverse("console:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Berlin Summit" in text
    assert "Rival Fair" not in text
    assert 'data-chart="sales-data"' in text
    assert "25.00 EUR" in text  # the paid registration's revenue


@pytest.mark.parametrize(
    "name",
    ["console:home", "console:events", "console:event-new", "console:desk", "console:reports", "console:audit"],
)
def test_every_top_level_page_renders_for_an_owner(world, as_role, name):
    assert as_role("owner").get(reverse(name)).status_code == 200


def test_the_event_pages_render(world, as_role):
    client = as_role("owner")
    for url in (
        reverse("console:event", args=[world.event.pk]),
        reverse("console:attendees", args=[world.event.pk]),
        reverse("console:registration", args=[world.paid.pk]),
        reverse("console:registration", args=[world.pending.pk]),
        reverse("console:desk-event", args=[world.event.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
