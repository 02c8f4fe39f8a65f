"""The model admin shows webhooks read-only to platform superusers, never a secret.

Organizers manage their webhooks on the console's settings page (tests/console/test_actions.py)."""

from __future__ import annotations

import pytest

from core.audit import SYSTEM
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


def test_the_admin_lists_webhooks_read_only_without_secrets(root, console, other_org, subscribe, receiver):
    mine, secret = subscribe(["event.*"])
    rival, _ = subscribe(["event.*"], organization=other_org)
    delivery = services.subscription_test(actor=SYSTEM, subscription=mine, event_type="event.created")
    services.delivery_attempt(delivery_id=delivery.pk)
    client = console(root)

    page = client.get("/admin/integrations/webhooksubscription/")
    assert page.status_code == 200 and page.context["cl"].result_count == 2  # every organization's
    detail = client.get(f"/admin/integrations/webhooksubscription/{mine.pk}/change/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert mine.url in text
    assert secret not in text and WebhookSubscription.objects.get(pk=mine.pk).secret not in text
    assert client.get(f"/admin/integrations/webhooksubscription/{rival.pk}/change/").status_code == 200
    assert client.get("/admin/integrations/webhooksubscription/add/").status_code == 403

    deliveries = client.get("/admin/integrations/webhookdelivery/")
    assert deliveries.status_code == 200 and deliveries.context["cl"].result_count == 1
    assert client.get(f"/admin/integrations/webhookdelivery/{WebhookDelivery.objects.get().pk}/change/").status_code == 200
    assert client.post(f"/admin/integrations/webhooksubscription/{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert WebhookSubscription.objects.filter(pk=mine.pk).exists()
