"""The console shows an organization's webhooks read-only, to members who manage integrations, never a secret."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from core.audit import SYSTEM
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


def test_console_lists_the_organizations_webhooks_read_only_without_secrets(member, console, other_org, subscribe, receiver):
    mine, secret = subscribe(["event.*"])
    rival, _ = subscribe(["event.*"], organization=other_org)
    delivery = services.subscription_test(actor=SYSTEM, subscription=mine, event_type="event.created")
    services.delivery_attempt(delivery_id=delivery.pk)
    client = console(member(Role.ADMIN, is_staff=True))

    page = client.get("/admin/integrations/webhooksubscription/")
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    detail = client.get(f"/admin/integrations/webhooksubscription/{mine.pk}/change/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert mine.url in text
    assert secret not in text and WebhookSubscription.objects.get(pk=mine.pk).secret not in text
    assert client.get(f"/admin/integrations/webhooksubscription/{rival.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/integrations/webhooksubscription/add/").status_code == 403

    deliveries = client.get("/admin/integrations/webhookdelivery/")
    assert deliveries.status_code == 200 and deliveries.context["cl"].result_count == 1
    assert client.get(f"/admin/integrations/webhookdelivery/{WebhookDelivery.objects.get().pk}/change/").status_code == 200
    assert console(member(Role.EDITOR, is_staff=True)).get("/admin/integrations/webhookdelivery/").status_code == 403
