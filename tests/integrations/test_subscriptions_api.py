"""The webhooks API: subscriptions and their secrets, deliveries, test messages, replay and recover."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.utils import timezone

from accounts.roles import Role
from core import secrets
from core.audit import SYSTEM
from core.models import AuditEntry
from integrations import services
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.conftest import error_of
from tests.factories import EventFactory
from tests.integrations.helpers import verify

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks"
BODY = {"url": "https://hooks.partner.example/in", "eventTypes": ["registration.*", "payment.completed"]}


def test_create_returns_the_secret_once_and_stores_it_encrypted(client_owner, org):
    response = client_owner.post(HOOKS, {**BODY, "description": "CRM sync", "rateLimit": 5}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"{HOOKS}/{body['id']}"
    secret = body["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert (body["url"], body["eventTypes"], body["enabled"], body["rateLimit"], body["eventId"]) == (
        BODY["url"],
        BODY["eventTypes"],
        True,
        5,
        None,
    )
    stored = WebhookSubscription.objects.get(pk=body["id"])
    assert stored.organization == org and secret not in stored.secret and secrets.decrypt(stored.secret) == secret
    # never again in a read
    assert "secret" not in client_owner.get(f"{HOOKS}/{body['id']}").json()
    assert all("secret" not in row for row in client_owner.get(HOOKS).json()["data"])
    assert AuditEntry.objects.filter(action="webhook.created", object_id=body["id"]).exists()


def test_reveal_and_rotate(client_owner):
    created = client_owner.post(HOOKS, BODY, format="json").json()
    path = f"{HOOKS}/{created['id']}"
    revealed = client_owner.post(f"{path}/reveal-secret").json()
    assert revealed == {"secret": created["secret"], "previousSecretExpiresAt": None}
    before = timezone.now()
    rotated = client_owner.post(f"{path}/rotate-secret").json()
    assert rotated["secret"] != created["secret"] and rotated["secret"].startswith("whsec_")
    expires = dt.datetime.fromisoformat(rotated["previousSecretExpiresAt"].replace("Z", "+00:00"))
    assert before + dt.timedelta(hours=24) <= expires <= timezone.now() + dt.timedelta(hours=24)
    assert client_owner.post(f"{path}/reveal-secret").json()["secret"] == rotated["secret"]
    subscription = WebhookSubscription.objects.get(pk=created["id"])
    assert services.subscription_secrets(subscription) == [rotated["secret"], created["secret"]]
    assert services.subscription_secrets(subscription, now=expires + dt.timedelta(seconds=1)) == [rotated["secret"]]
    actions = set(AuditEntry.objects.filter(object_id=created["id"]).values_list("action", flat=True))
    assert {"webhook.secret_revealed", "webhook.secret_rotated"} <= actions


def test_patch_and_delete(client_owner, org):
    created = client_owner.post(HOOKS, BODY, format="json").json()
    path = f"{HOOKS}/{created['id']}"
    event = EventFactory(organization=org)
    response = client_owner.patch(path, {"enabled": False, "eventId": str(event.id), "eventTypes": ["event.*"]}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["enabled"], response.json()["eventId"], response.json()["eventTypes"]) == (
        False,
        str(event.id),
        ["event.*"],
    )
    entry = AuditEntry.objects.get(action="webhook.updated", object_id=created["id"])
    assert entry.changes["enabled"] == {"from": True, "to": False}
    assert client_owner.delete(path).status_code == 204
    assert client_owner.get(path).status_code == 404
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "target"),
    [
        ({"url": "http://hooks.partner.example/in"}, "WEBHOOK_URL_NOT_ALLOWED", "url"),
        ({"url": "ftp://hooks.partner.example/in"}, "WEBHOOK_URL_NOT_ALLOWED", "url"),
        ({"url": "https://user:pw@hooks.partner.example/in"}, "WEBHOOK_URL_NOT_ALLOWED", "url"),
        ({"url": "https://10.0.0.7/in"}, "WEBHOOK_URL_NOT_ALLOWED", "url"),
        ({"url": "https://[fe80::1]/in"}, "WEBHOOK_URL_NOT_ALLOWED", "url"),
        ({"eventTypes": ["registration.exploded"]}, "WEBHOOK_EVENT_TYPE_UNKNOWN", "eventTypes"),
        ({"eventTypes": ["nothing.*"]}, "WEBHOOK_EVENT_TYPE_UNKNOWN", "eventTypes"),
        ({"eventTypes": []}, "VALIDATION_ERROR", "eventTypes"),
        ({"rateLimit": 0}, "VALIDATION_ERROR", "rateLimit"),
        ({"secret": "whsec_mine"}, "UNKNOWN_FIELD", "secret"),
    ],
)
def test_bad_subscriptions_are_refused(client_owner, settings, body, code, target):
    settings.WEBHOOK_ALLOW_HTTP = False
    response = client_owner.post(HOOKS, {**BODY, **body}, format="json")
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert (error["code"], error["target"]) == (code, target)
    assert not WebhookSubscription.objects.exists()


def test_http_is_accepted_only_where_the_setting_allows_it(client_owner, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    assert client_owner.post(HOOKS, {**BODY, "url": "http://localhost:9000/in"}, format="json").status_code == 201


def test_only_roles_that_manage_integrations_may_use_webhooks(api, member):
    for role, status in ((Role.EDITOR, 403), (Role.VIEWER, 403), (Role.ADMIN, 201)):
        response = api(member(role)).post(HOOKS, BODY, format="json")
        assert response.status_code == status, role


def test_test_message_is_sent_signed_with_a_sample_of_the_type(client_owner, receiver, eager, django_capture_on_commit_callbacks):
    created = client_owner.post(HOOKS, {**BODY, "url": receiver.url}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.post(f"{HOOKS}/{created['id']}/test", {"eventType": "payment.refunded"}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["isTest"] is True
    [request] = receiver.requests
    body = verify(created["secret"], request)
    assert body["event"] == "payment.refunded" and "refund" in body["data"] and "amount" in body["data"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    bad = client_owner.post(f"{HOOKS}/{created['id']}/test", {"eventType": "nope"}, format="json")
    assert bad.status_code == 400


def test_deliveries_list_filters_newest_first(client_owner, org, subscribe):
    first, _ = subscribe(["event.*"])
    second, _ = subscribe(["event.*"])
    a = services.subscription_test(actor=SYSTEM, subscription=first, event_type="event.created")
    b = services.subscription_test(actor=SYSTEM, subscription=second, event_type="session.updated")
    WebhookDelivery.objects.filter(pk=b.pk).update(status=DeliveryStatus.FAILED)
    rows = client_owner.get("/api/v1/webhook-deliveries").json()["data"]
    assert [r["id"] for r in rows] == [str(b.pk), str(a.pk)]
    assert [r["id"] for r in client_owner.get(f"/api/v1/webhook-deliveries?subscription={first.pk}").json()["data"]] == [
        str(a.pk)
    ]
    assert [r["id"] for r in client_owner.get("/api/v1/webhook-deliveries?status=failed").json()["data"]] == [str(b.pk)]
    assert [r["id"] for r in client_owner.get("/api/v1/webhook-deliveries?eventType=event.created").json()["data"]] == [str(a.pk)]
    page = client_owner.get("/api/v1/webhook-deliveries?pageSize=1")
    assert page.json()["pagination"]["totalCount"] == 2 and "next" in page["Link"]


def test_replay_resends_a_finished_delivery_with_the_same_id(
    client_owner, org, receiver, subscribe, eager, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(["event.*"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="event.created")
    path = f"/api/v1/webhook-deliveries/{delivery.pk}/replay"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.post(path)
    assert response.status_code == 202, response.content
    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]
    verify(secret, receiver.requests[1])
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts.count() == 2

    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING)
    assert error_of(client_owner.post(path))["code"] == "WEBHOOK_DELIVERY_IN_PROGRESS"


def test_recover_resends_every_failed_delivery_since_then_in_the_background(
    client_owner, org, receiver, subscribe, eager, django_capture_on_commit_callbacks
):
    subscription, _ = subscribe(["event.*"])
    old, recent, newer = (
        services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="event.created") for _ in range(3)
    )
    WebhookDelivery.objects.filter(pk=old.pk).update(status="failed", created_at=timezone.now() - dt.timedelta(days=3))
    WebhookDelivery.objects.filter(pk__in=[recent.pk, newer.pk]).update(status="failed", attempt_count=10)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.post(f"{HOOKS}/{subscription.pk}/recover", {"since": since}, format="json")
    assert response.status_code == 202, response.content
    assert sorted(r.headers["webhook-id"] for r in receiver.requests) == sorted([recent.message_id, newer.message_id])
    assert dict(WebhookDelivery.objects.values_list("id", "status")) == {
        old.pk: "failed",
        recent.pk: "succeeded",
        newer.pk: "succeeded",
    }
    assert AuditEntry.objects.filter(action="webhook.recover_requested").exists()


def test_a_disabled_subscription_takes_no_test_and_no_replay(client_owner, subscribe):
    subscription, _ = subscribe(["event.*"])
    delivery = services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="event.created")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    WebhookSubscription.objects.filter(pk=subscription.pk).update(enabled=False, disabled_reason="gone")
    response = client_owner.post(f"{HOOKS}/{subscription.pk}/test", {"eventType": "event.created"}, format="json")
    assert error_of(response)["code"] == "WEBHOOK_SUBSCRIPTION_DISABLED"
    response = client_owner.post(f"/api/v1/webhook-deliveries/{delivery.pk}/replay")
    assert error_of(response)["code"] == "WEBHOOK_SUBSCRIPTION_DISABLED"
    response = client_owner.post(f"{HOOKS}/{subscription.pk}/recover", {"since": "2020-01-01T00:00:00Z"}, format="json")
    assert error_of(response)["code"] == "WEBHOOK_SUBSCRIPTION_DISABLED"
    enabled = client_owner.patch(f"{HOOKS}/{subscription.pk}", {"enabled": True}, format="json").json()
    assert (enabled["enabled"], enabled["disabledReason"], enabled["failingSince"]) == (True, "", None)


def test_list_query_count_is_constant(client_owner, subscribe, django_assert_max_num_queries):
    for _ in range(3):
        subscription, _ = subscribe(["event.*"])
        services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="event.created")
    for path in (HOOKS, "/api/v1/webhook-deliveries"):
        with django_assert_max_num_queries(5):  # session, user, membership, count, page
            assert len(client_owner.get(path).json()["data"]) == 3


def test_reencrypting_the_secrets_finishes_a_key_rotation(client_owner, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    created = client_owner.post(HOOKS, BODY, format="json").json()
    rotated = client_owner.post(f"{HOOKS}/{created['id']}/rotate-secret").json()["secret"]
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("reencrypt_webhook_secrets", stdout=out)
    assert "1 webhook subscriptions" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    subscription = WebhookSubscription.objects.get(pk=created["id"])
    assert services.subscription_secrets(subscription) == [rotated, created["secret"]]


def test_patch_honours_if_match_checked_under_the_subscription_lock(client_owner):
    created = client_owner.post(HOOKS, BODY, format="json").json()
    path = f"{HOOKS}/{created['id']}"
    etag = client_owner.get(path)["ETag"]
    assert client_owner.patch(path, {"description": "First"}, format="json", HTTP_IF_MATCH=etag).status_code == 200

    stale = client_owner.patch(path, {"description": "Second"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert error_of(stale)["code"] == "PRECONDITION_FAILED"
    assert WebhookSubscription.objects.get(pk=created["id"]).description == "First"
