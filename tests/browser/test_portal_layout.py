"""The portal's tables at the width of a common laptop (1280 px): every row's actions stay on screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts import scopes as scopes_module
from accounts import services as account_services
from accounts.models import OrganizationKind
from accounts.roles import Role
from core.audit import SYSTEM
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def signed_in_as(tab: Any, user: Any) -> None:
    """Give the browser the session of ``user`` (signing in through the pages is the partner journey's test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": tab.base_url}])


def test_the_api_keys_table_fits_1280_px_with_its_actions_visible(tab):
    organization = OrganizationFactory(name="Ada Integrations", kind=OrganizationKind.DEVELOPER)
    user = UserFactory(email="ada.lovelace.integrations@partner-with-a-long-name.example")
    MembershipFactory(user=user, organization=organization, role=Role.OWNER)
    scopes = sorted(scopes_module.grantable_by(Role.OWNER))  # every scope: the widest Scopes cell a key can have
    for name, mode, extra in (
        ("Production CRM synchronisation (nightly)", "live", {"allowed_ips": ["203.0.113.0/24", "198.51.100.7/32"]}),
        ("Staging", "test", {"expires_at": timezone.now() + dt.timedelta(days=90)}),
        ("Local development", "test", {}),
    ):
        account_services.api_key_create(
            actor=SYSTEM,
            organization=organization,
            data={"name": name, "mode": mode, "scopes": scopes, **extra},
            creator_role=Role.OWNER,
        )
    revoked, _ = account_services.api_key_create(
        actor=SYSTEM, organization=organization, data={"name": "Old key", "mode": "live", "scopes": scopes}, creator_role=None
    )
    account_services.api_key_revoke(actor=SYSTEM, key=revoked)

    signed_in_as(tab, user)
    page = tab.page
    assert page.viewport_size == {"width": 1280, "height": 900}
    tab.open("/portal/keys/")
    tab.shot("api keys 1280")

    # No sideways scrolling: the page, and the table inside its card, are no wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    table = page.locator("table.table").first.bounding_box()
    assert table is not None and table["x"] >= 0 and table["x"] + table["width"] <= 1280
    # Nor is the table wider than its card (the card would scroll it sideways and hide the last columns).
    card = page.locator("section.card", has=page.locator("table")).first
    assert card.evaluate("card => card.scrollWidth <= card.clientWidth"), card.evaluate("c => [c.scrollWidth, c.clientWidth]")
    # Each active key's Rotate and Revoke buttons (and the grace-period choice) are on screen, not clipped:
    # inside the window and the card, and the topmost element at their centre.
    controls = page.locator("td.actions button, td.actions select")
    assert controls.count() == 3 * 3
    card_box = card.bounding_box()
    assert card_box is not None
    for i in range(controls.count()):
        control = controls.nth(i)
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box is not None, control.inner_text()
        assert 0 <= box["x"] and box["x"] + box["width"] <= min(1280, card_box["x"] + card_box["width"]), (
            control.inner_text(),
            box,
        )
        assert control.evaluate(
            "el => { const r = el.getBoundingClientRect(); const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
            " return top === el || el.contains(top); }"
        ), control.inner_text()
    tab.assert_no_errors()
