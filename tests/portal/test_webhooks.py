"""The webhooks pages: subscriptions (create with the secret shown once, edit, reveal and rotate the secret, enable,
disable, delete), test events and replays really sent to a local receiver, recovery, the deliveries log (filters,
keyset pages over 1,000+ rows, query counts) and one delivery's attempts; tenancy, permissions, sign-in and CSRF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import OrganizationKind
from accounts.roles import Role
from core import secrets
from core.audit import SYSTEM
from core.models import AuditEntry
from integrations import sandbox as sandboxes
from integrations import services
from integrations.catalog import CATALOG
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.factories import EventFactory, OrganizationFactory
from tests.integrations import conftest as webhook_fixtures
from tests.integrations.factories import (
    WebhookAttemptFactory,
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
    create_deliveries,
)
from tests.integrations.helpers import EMBEDDED_IPV4, embedded_refusal, verify
from tests.portal.helpers import INLINE

pytestmark = pytest.mark.django_db

# The webhook tests' fixtures serve here too: a receiver on loopback, the settings that let deliveries reach it
# (http and loopback, as in local development), tasks run in this process, messages kept off the real broker.
receiver = webhook_fixtures.receiver
_local_delivery = webhook_fixtures._local_delivery
_memory_broker = webhook_fixtures._memory_broker

HOOKS = "/portal/webhooks/"
SECRET = re.compile(r'id="signing-secret"[^>]*value="(whsec_[^"]+)"')
ROW = re.compile(r'href="/portal/webhooks/deliveries/([0-9a-f-]{36})/"')


def secret_of(response) -> str:
    match = SECRET.search(response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def create(client, **data):
    form = {"url": "https://hooks.partner.example/in", "event_types": ["registration.*", "payment.completed"], **data}
    return client.post(f"{HOOKS}new/", form)


def delivery_ids(response) -> list[str]:
    return list(dict.fromkeys(ROW.findall(response.content.decode())))


@pytest.fixture
def owner(dev_member):
    return dev_member(Role.OWNER, email="owner@partner.example")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def hook(dev_org):
    return WebhookSubscriptionFactory(organization=dev_org, url="https://hooks.partner.example/in")


# -- subscriptions --------------------------------------------------------------------------------
def test_the_empty_page_says_what_to_do_next(signed_in):
    response = signed_in.get(HOOKS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No webhook subscriptions yet" in html and 'href="/portal/webhooks/new/"' in html
    assert 'href="/portal/webhooks/"' in signed_in.get("/portal/dashboard/").content.decode()  # nav and next steps


def test_the_form_offers_the_catalog_grouped_by_family(signed_in):
    html = signed_in.get(f"{HOOKS}new/").content.decode()
    for name, spec in CATALOG.items():
        assert f'value="{name}"' in html and spec.description in html
    for family in ("event", "session", "registration", "payment", "checkin"):
        assert f'value="{family}.*"' in html
    assert "Check-ins" in html and "Rate limit" in html and "Only changes about one event" in html


def test_a_created_subscription_shows_its_secret_once(signed_in, dev_org):
    response = create(signed_in, description="CRM sync", rate_limit="5")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = secret_of(response)
    html = response.content.decode()
    assert 'data-copy-target="signing-secret"' in html and "Copy this secret now" in html
    subscription = WebhookSubscription.objects.get(organization=dev_org)
    assert subscription.url == "https://hooks.partner.example/in" and subscription.description == "CRM sync"
    assert subscription.event_types == ["registration.*", "payment.completed"] and subscription.rate_limit == 5
    assert subscription.enabled and secrets.decrypt(subscription.secret) == secret and secret not in subscription.secret
    assert AuditEntry.objects.filter(action="webhook.created", object_id=str(subscription.pk)).exists()

    page = signed_in.get(f"{HOOKS}{subscription.pk}/")
    assert page.status_code == 200 and secret not in page.content.decode() and "signing-secret" not in page.content.decode()
    listing = signed_in.get(HOOKS).content.decode()
    assert "https://hooks.partner.example/in" in listing and "CRM sync" in listing and "Enabled" in listing
    assert "registration.*" in listing and "None yet" in listing and secret not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "https://10.0.0.7/in"}, "10.0.0.7 is not a public address (private)"),
        ({"url": "https://[::1]/in"}, "::1 is not a public address (loopback)"),
        ({"url": "ftp://hooks.partner.example/in"}, "The URL must start with https://."),
        ({"url": "https://user:pw@hooks.partner.example/in"}, "no credentials"),
        ({"url": ""}, "This field is required."),
        ({"event_types": []}, "Choose at least one event type."),
        ({"event_types": ["registration.exploded"]}, "registration.exploded is not one of the available choices"),
        ({"rate_limit": "0"}, "greater than or equal to 1"),
        ({"event_id": "7e1d2c3b-0000-4000-8000-000000000001"}, "Your organization has no event with this id."),
    ],
)
def test_refusals_are_shown_inline(signed_in, dev_org, settings, data, message):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = create(signed_in, **data)
    html = response.content.decode()
    assert response.status_code == 400 and "field-invalid" in html
    assert message in html.replace("&#x27;", "'"), html
    assert "signing-secret" not in html and not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(("address", "form", "ipv4", "reason"), EMBEDDED_IPV4)
def test_ipv6_forms_carrying_an_internal_ipv4_address_are_refused_inline(signed_in, settings, address, form, ipv4, reason):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = create(signed_in, url=f"https://[{address}]/in")
    html = response.content.decode()
    assert response.status_code == 400 and "field-invalid" in html
    assert f"{address} is not a public address ({embedded_refusal(form, ipv4, reason)})" in html
    assert not WebhookSubscription.objects.exists()


def test_an_event_filter_must_be_an_event_of_the_organization(signed_in, dev_org):
    foreign = EventFactory(organization=OrganizationFactory())
    assert create(signed_in, event_id=str(foreign.pk)).status_code == 400
    own = EventFactory(organization=dev_org)
    assert create(signed_in, event_id=str(own.pk)).status_code == 200
    assert WebhookSubscription.objects.get().event_id == own.pk


def test_edit_shows_the_current_values_and_saves(signed_in, hook):
    edit = f"{HOOKS}{hook.pk}/edit/"
    html = signed_in.get(edit).content.decode()
    assert 'value="https://hooks.partner.example/in"' in html
    assert re.search(r'value="registration\.\*" checked', html) and not re.search(r'value="payment\.\*" checked', html)
    response = signed_in.post(edit, {"url": "https://new.partner.example/in", "event_types": ["payment.*"], "rate_limit": "2"})
    assert response.status_code == 302 and response["Location"] == f"{HOOKS}{hook.pk}/"
    hook.refresh_from_db()
    assert (hook.url, hook.event_types, hook.rate_limit) == ("https://new.partner.example/in", ["payment.*"], 2)
    assert AuditEntry.objects.filter(action="webhook.updated", object_id=str(hook.pk)).exists()


def test_an_edit_refused_by_the_service_is_shown_inline(signed_in, hook, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = signed_in.post(f"{HOOKS}{hook.pk}/edit/", {"url": "https://127.0.0.1/in", "event_types": ["payment.*"]})
    html = response.content.decode()
    assert response.status_code == 400 and "127.0.0.1 is not a public address (loopback)" in html
    assert re.search(r'value="payment\.\*" checked', html)  # the choices made are kept
    hook.refresh_from_db()
    assert hook.url == "https://hooks.partner.example/in"


def test_reveal_and_rotate_the_secret(signed_in, dev_org):
    first = secret_of(create(signed_in))
    hook = WebhookSubscription.objects.get(organization=dev_org)
    revealed = signed_in.post(f"{HOOKS}{hook.pk}/reveal-secret/")
    assert revealed.status_code == 200 and revealed["Cache-Control"] == "no-store"
    assert secret_of(revealed) == first and "recorded in your organization's audit log" in revealed.content.decode()

    rotated = signed_in.post(f"{HOOKS}{hook.pk}/rotate-secret/")
    assert rotated.status_code == 200 and rotated["Cache-Control"] == "no-store"
    second = secret_of(rotated)
    assert second != first and "requests carry a signature with the previous secret too" in rotated.content.decode()
    hook.refresh_from_db()
    assert services.subscription_secrets(hook) == [second, first]  # the old one keeps signing for the overlap
    assert "The previous secret signs too until" in signed_in.get(f"{HOOKS}{hook.pk}/").content.decode()
    actions = set(AuditEntry.objects.filter(object_id=str(hook.pk)).values_list("action", flat=True))
    assert {"webhook.secret_revealed", "webhook.secret_rotated"} <= actions
    assert signed_in.get(f"{HOOKS}{hook.pk}/reveal-secret/").status_code == 405  # a reveal is a POST


def test_disable_and_enable(signed_in, hook):
    response = signed_in.post(f"{HOOKS}{hook.pk}/disable/", follow=True)
    html = response.content.decode()
    hook.refresh_from_db()
    assert not hook.enabled and "Disabled" in html and "By a member of your team." in html
    refused = signed_in.post(f"{HOOKS}{hook.pk}/test/", {"event_type": "registration.created"}, follow=True)
    assert "The webhook subscription is disabled" in refused.content.decode() and not WebhookDelivery.objects.exists()
    signed_in.post(f"{HOOKS}{hook.pk}/enable/")
    hook.refresh_from_db()
    assert hook.enabled


def test_a_subscription_the_platform_disabled_says_why(signed_in, dev_org):
    WebhookSubscriptionFactory(organization=dev_org, enabled=False, disabled_reason="gone")
    WebhookSubscriptionFactory(organization=dev_org, enabled=False, disabled_reason="failing")
    html = signed_in.get(HOOKS).content.decode()
    assert "the endpoint answered 410 Gone" in html and "every attempt failed for five days" in html


def test_delete_asks_for_confirmation(signed_in, hook):
    WebhookDeliveryFactory(subscription=hook)
    page = signed_in.get(f"{HOOKS}{hook.pk}/delete/")
    assert page.status_code == 200 and "Delete this subscription?" in page.content.decode()
    assert WebhookSubscription.objects.filter(pk=hook.pk).exists()
    response = signed_in.post(f"{HOOKS}{hook.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == HOOKS and "its delivery log are deleted" in response.content.decode()
    assert not WebhookSubscription.objects.exists() and not WebhookDelivery.objects.exists()
    assert AuditEntry.objects.filter(action="webhook.deleted", object_id=str(hook.pk)).exists()


def test_the_list_shows_the_last_result_and_the_success_rate(signed_in, dev_org, hook, django_assert_max_num_queries):
    now = timezone.now()
    for status in (200, 200, 200, 500):
        WebhookAttemptFactory(delivery__subscription=hook, response_status=status)
    WebhookAttemptFactory(delivery__subscription=hook, response_status=500, attempted_at=now - dt.timedelta(hours=30))
    latest = WebhookDeliveryFactory(subscription=hook, status=DeliveryStatus.FAILED, last_status_code=503)
    quiet = WebhookSubscriptionFactory(organization=dev_org, url="https://quiet.partner.example/in")
    for _ in range(5):  # more subscriptions cost no more queries
        WebhookAttemptFactory(delivery__subscription=WebhookSubscriptionFactory(organization=dev_org))
    with django_assert_max_num_queries(7):  # 6, and the environment's default (key modes)
        html = signed_in.get(HOOKS).content.decode()
    row = html[html.index(hook.url) : html.index("</tr>", html.index(hook.url))]
    assert "75%" in row and "of 4 attempts" in row and "Failed" in row and "503" in row
    assert latest.status == "failed"
    quiet_row = html[html.index(quiet.url) : html.index("</tr>", html.index(quiet.url))]
    assert "No attempts" in quiet_row and "None yet" in quiet_row


# -- test events, replays, recovery: really sent --------------------------------------------------
def test_a_test_event_and_a_replay_are_really_sent(
    signed_in,
    dev_org,
    receiver,
    eager,
    django_capture_on_commit_callbacks,
):
    secret = secret_of(create(signed_in, url=receiver.url))
    hook = WebhookSubscription.objects.get(organization=dev_org)
    html = signed_in.get(f"{HOOKS}{hook.pk}/").content.decode()
    assert "No deliveries yet. Send a test event above" in html and 'name="event_type"' in html
    since = dt.datetime.fromisoformat(re.search(r'name="since" value="([^"]+)"', html).group(1)).replace(tzinfo=dt.UTC)
    assert abs(since - (timezone.now() - dt.timedelta(days=1))) < dt.timedelta(minutes=2)  # a day back unless told

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{HOOKS}{hook.pk}/test/", {"event_type": "registration.created"})
    delivery = WebhookDelivery.objects.get(subscription=hook)
    assert response.status_code == 302 and response["Location"] == f"{HOOKS}deliveries/{delivery.pk}/"
    [request] = receiver.requests
    body = verify(secret, request)  # signed with the secret shown at creation
    assert body["event"] == "registration.created" and body["id"] == delivery.message_id

    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Succeeded" in html and "Attempt 1" in html and "Test" in html
    assert f"POST {receiver.url}" in html and delivery.message_id in html
    assert request.headers["webhook-signature"] in html and request.headers["webhook-timestamp"] in html
    assert "Signature headers" in html and "application/json" in html and "{&quot;ok&quot;: true}" in html
    assert " ms" in html and 'action="/portal/webhooks/deliveries/' in html  # the replay button

    receiver.answer(500)
    with django_capture_on_commit_callbacks(execute=True):
        replayed = signed_in.post(f"{HOOKS}deliveries/{delivery.pk}/replay/", follow=True)
    assert "is being sent again" in replayed.content.decode()
    assert len(receiver.requests) == 2 and receiver.requests[1].headers["webhook-id"] == delivery.message_id
    assert verify(secret, receiver.requests[1])["id"] == delivery.message_id
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2
    html = signed_in.get(f"{HOOKS}deliveries/{delivery.pk}/").content.decode()
    assert "<code>500</code>" in html and "nope nope" in html and "Pending" in html  # retried on the schedule
    # A pending delivery cannot be replayed: a message, not a 500.
    again = signed_in.post(f"{HOOKS}deliveries/{delivery.pk}/replay/", follow=True)
    assert "The delivery is still being attempted" in again.content.decode()
    assert AuditEntry.objects.filter(action="webhook_delivery.replayed", object_id=str(delivery.pk)).count() == 1


def test_a_test_event_needs_a_catalog_type(signed_in, hook):
    response = signed_in.post(f"{HOOKS}{hook.pk}/test/", {"event_type": "nope.nothing"}, follow=True)
    assert "Choose an event type of the catalog." in response.content.decode() and not WebhookDelivery.objects.exists()


def test_recover_resends_what_failed_since_the_time_given(
    signed_in,
    dev_org,
    receiver,
    eager,
    django_capture_on_commit_callbacks,
):
    hook = WebhookSubscriptionFactory(organization=dev_org, url=receiver.url)
    now = timezone.now().replace(second=0, microsecond=0)
    old = create_deliveries(3, start=now - dt.timedelta(hours=5), subscription=hook, status=DeliveryStatus.FAILED)
    recent = create_deliveries(4, start=now - dt.timedelta(minutes=30), subscription=hook, status=DeliveryStatus.FAILED)
    fine = create_deliveries(2, start=now - dt.timedelta(minutes=20), subscription=hook)
    since = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{HOOKS}{hook.pk}/recover/", {"since": since}, follow=True)
    assert "is being sent again" in response.content.decode()
    sent = {request.headers["webhook-id"] for request in receiver.requests}
    assert sent == {d.message_id for d in recent}
    statuses = dict(WebhookDelivery.objects.values_list("id", "status"))
    assert all(statuses[d.pk] == DeliveryStatus.SUCCEEDED for d in recent + fine)
    assert all(statuses[d.pk] == DeliveryStatus.FAILED for d in old)
    assert AuditEntry.objects.filter(action="webhook.recover_requested", object_id=str(hook.pk)).exists()


def test_recover_needs_a_time(signed_in, hook):
    response = signed_in.post(f"{HOOKS}{hook.pk}/recover/", {"since": "yesterday"})
    assert response.status_code == 400 and "Enter a valid date/time." in response.content.decode()


# -- the deliveries log -----------------------------------------------------------------------------
@pytest.fixture
def many(dev_org, hook):
    """1,200 deliveries of two subscriptions in every status and three types, and another organization's."""
    second = WebhookSubscriptionFactory(organization=dev_org, url="https://second.partner.example/in")
    create_deliveries(
        900,
        subscription=hook,
        status=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.PENDING],
        event_type=["registration.created", "payment.completed", "event.updated", "registration.created"],
    )
    create_deliveries(300, subscription=second, status=DeliveryStatus.SUCCEEDED, event_type="session.created")
    create_deliveries(50, subscription=WebhookSubscriptionFactory(), event_type="registration.created")
    return hook, second


def walk(client, url, *, max_queries, assert_queries):
    """Every delivery id on the pages from ``url`` following "Older", then back with "Newer"."""
    pages = []
    while url:
        with assert_queries(max_queries):
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(delivery_ids(response))
        older = re.search(r'href="(\?[^"]*)" rel="next"', html)
        url = url.split("?")[0] + older.group(1).replace("&amp;", "&") if older else None
    return pages


def test_the_organizations_deliveries_page_by_page(signed_in, dev_org, many, django_assert_max_num_queries):
    pages = walk(signed_in, f"{HOOKS}deliveries/", max_queries=7, assert_queries=django_assert_max_num_queries)
    ids = [i for page in pages for i in page]
    assert [len(page) for page in pages] == [50] * 24
    expected = WebhookDelivery.objects.filter(organization=dev_org).order_by("-created_at", "-id")
    assert ids == [str(pk) for pk in expected.values_list("id", flat=True)]  # newest first, each once
    first = signed_in.get(f"{HOOKS}deliveries/").content.decode()
    assert "https://second.partner.example/in" in first  # the subscription column
    assert 'rel="prev"' not in first
    # Back from the third page with "Newer" gives the second page again.
    third_url = f"{HOOKS}deliveries/?older={_cursor_after(signed_in, 2)}"
    third = signed_in.get(third_url).content.decode()
    newer = re.search(r'href="(\?[^"]*)" rel="prev"', third).group(1).replace("&amp;", "&")
    assert delivery_ids(signed_in.get(f"{HOOKS}deliveries/{newer}")) == pages[1]


def _cursor_after(client, pages: int) -> str:
    url = f"{HOOKS}deliveries/"
    for _ in range(pages):
        html = client.get(url).content.decode()
        url = f"{HOOKS}deliveries/" + re.search(r'href="(\?[^"]*)" rel="next"', html).group(1).replace("&amp;", "&")
    return url.split("older=")[1]


def test_filters_by_status_event_type_and_subscription(signed_in, many, django_assert_max_num_queries):
    hook, second = many
    url = f"{HOOKS}deliveries/?status=failed&event_type=payment.completed"
    pages = walk(signed_in, url, max_queries=7, assert_queries=django_assert_max_num_queries)
    ids = [i for page in pages for i in page]
    expected = WebhookDelivery.objects.filter(subscription=hook, status="failed", event_type="payment.completed")
    assert len(ids) == expected.count() > 50 and set(ids) == {str(pk) for pk in expected.values_list("id", flat=True)}
    assert "status=failed" in signed_in.get(url).content.decode()  # the filters stay on the page links
    by_sub = signed_in.get(f"{HOOKS}deliveries/?subscription={second.pk}")
    assert len(delivery_ids(by_sub)) == 50
    assert set(WebhookDelivery.objects.filter(pk__in=delivery_ids(by_sub)).values_list("subscription", flat=True)) == {second.pk}
    none = signed_in.get(f"{HOOKS}deliveries/?status=pending&event_type=checkin.completed")
    assert "No delivery matches these filters" in none.content.decode()


def test_a_subscriptions_page_lists_only_its_deliveries(signed_in, many, django_assert_max_num_queries):
    hook, second = many
    url = f"{HOOKS}{second.pk}/?status=succeeded"
    pages = walk(signed_in, url, max_queries=8, assert_queries=django_assert_max_num_queries)
    ids = [i for page in pages for i in page]
    assert len(ids) == 300 and set(ids) == {str(pk) for pk in second.deliveries.values_list("id", flat=True)}
    html = signed_in.get(f"{HOOKS}{hook.pk}/?event_type=event.updated").content.decode()
    shown = WebhookDelivery.objects.filter(pk__in=ROW.findall(html))
    assert shown.count() == 50 and set(shown.values_list("event_type", flat=True)) == {"event.updated"}


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "event_type=nope",
        "subscription=7e1d2c3b-0000-4000-8000-000000000002",
        "older=garbage",
        "newer=bm90fGEtY3Vyc29y",
    ],
)
def test_bad_filters_and_cursors_are_a_400(signed_in, hook, query):
    for url in (f"{HOOKS}deliveries/?{query}", f"{HOOKS}{hook.pk}/?{query}"):
        if "subscription=" in query and url.startswith(f"{HOOKS}{hook.pk}"):
            continue  # a subscription's page has no subscription filter
        response = signed_in.get(url)
        assert response.status_code == 400, url
        html = response.content.decode()
        assert "errorlist" in html or "This page link is no longer valid" in html


def test_one_delivery_with_many_attempts_costs_few_queries(signed_in, hook, django_assert_max_num_queries):
    delivery = WebhookDeliveryFactory(subscription=hook, status=DeliveryStatus.FAILED, attempt_count=10)
    for number in range(1, 11):
        WebhookAttemptFactory(delivery=delivery, number=number, response_status=None, error=f"timed out #{number}")
    with django_assert_max_num_queries(7):  # 6, and the environment's default (key modes)
        response = signed_in.get(f"{HOOKS}deliveries/{delivery.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Attempt 10" in html and "timed out #10" in html and "No response" in html
    assert html.index("Attempt 10") < html.index("Attempt 1 ")  # newest first


# -- who may do what -------------------------------------------------------------------------------
def _urls(subscription_id, delivery_id):
    pages = [
        HOOKS,
        f"{HOOKS}new/",
        f"{HOOKS}deliveries/",
        f"{HOOKS}deliveries/{delivery_id}/",
        f"{HOOKS}{subscription_id}/",
        f"{HOOKS}{subscription_id}/edit/",
        f"{HOOKS}{subscription_id}/delete/",
    ]
    actions = [
        f"{HOOKS}new/",
        f"{HOOKS}deliveries/{delivery_id}/replay/",
        f"{HOOKS}{subscription_id}/edit/",
        f"{HOOKS}{subscription_id}/delete/",
        f"{HOOKS}{subscription_id}/reveal-secret/",
        f"{HOOKS}{subscription_id}/rotate-secret/",
        f"{HOOKS}{subscription_id}/enable/",
        f"{HOOKS}{subscription_id}/disable/",
        f"{HOOKS}{subscription_id}/test/",
        f"{HOOKS}{subscription_id}/recover/",
    ]
    return pages, actions


FORM = {"url": "https://x.example/in", "event_types": ["event.*"], "event_type": "event.created", "since": "2026-01-01T00:00"}


def _unchanged(hook, delivery):
    hook.refresh_from_db()
    delivery.refresh_from_db()
    assert hook.enabled and hook.url == "https://hooks.partner.example/in" and not hook.previous_secret
    assert WebhookDelivery.objects.count() == 1 and WebhookSubscription.objects.count() == 1
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert not AuditEntry.objects.filter(action__startswith="webhook").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, hook):
    delivery = WebhookDeliveryFactory(subscription=hook)
    pages, actions = _urls(hook.pk, delivery.pk)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/?next="), url
    for url in actions:
        response = client.post(url, FORM)
        assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/"), url
    _unchanged(hook, delivery)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_members_who_do_not_manage_integrations_get_a_403(client, dev_member, hook, role):
    delivery = WebhookDeliveryFactory(subscription=hook)
    client.force_login(dev_member(role))
    pages, actions = _urls(hook.pk, delivery.pk)
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in actions:
        assert client.post(url, FORM).status_code == 403, url
    _unchanged(hook, delivery)
    assert 'href="/portal/webhooks/"' in client.get("/portal/dashboard/").content.decode()


def test_an_admin_manages_webhooks(client, dev_member, hook):
    client.force_login(dev_member(Role.ADMIN))
    listed = client.get(HOOKS)
    assert listed.status_code == 200 and hook.url in listed.content.decode()
    assert client.post(f"{HOOKS}{hook.pk}/disable/").status_code == 302
    hook.refresh_from_db()
    assert hook.enabled is False


def test_another_organizations_subscriptions_and_deliveries_are_a_404(client, hook, dev_member):
    delivery = WebhookDeliveryFactory(subscription=hook)
    other = OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER)
    client.force_login(dev_member(Role.OWNER, organization=other))
    pages, actions = _urls(hook.pk, delivery.pk)
    for url in pages[3:]:
        assert client.get(url).status_code == 404, url
    for url in actions[1:]:
        assert client.post(url, FORM).status_code == 404, url
    html = "".join(client.get(url).content.decode() for url in pages[:3])
    assert hook.url not in html and str(delivery.pk) not in html and "No webhook subscriptions yet" in html
    assert client.get(f"{HOOKS}deliveries/?subscription={hook.pk}").status_code == 400  # not a choice here
    _unchanged(hook, delivery)


def test_posts_without_the_csrf_token_are_refused(owner, hook):
    delivery = WebhookDeliveryFactory(subscription=hook)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    _, actions = _urls(hook.pk, delivery.pk)
    for url in actions:
        assert client.post(url, FORM).status_code == 403, url
    _unchanged(hook, delivery)


def test_the_pages_have_no_inline_code(signed_in, hook):
    delivery = WebhookDeliveryFactory(subscription=hook, status=DeliveryStatus.FAILED)
    WebhookAttemptFactory(delivery=delivery)
    pages, _ = _urls(hook.pk, delivery.pk)
    for url in pages:
        response = signed_in.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "<main>" in html and not INLINE.findall(html), url
        assert "Content-Security-Policy" in response


def test_in_the_sandbox_environment_the_pages_manage_the_sandbox_subscriptions(signed_in, dev_org, hook):
    sandbox = sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)
    assert signed_in.post("/portal/environment/", {"environment": "sandbox", "next": HOOKS}).status_code == 302

    page = signed_in.get(HOOKS).content.decode()
    assert hook.url not in page and "(sandbox)" in page  # the live subscription is not listed here
    response = create(signed_in, url="https://hooks.partner.example/sandbox")
    assert response.status_code == 200
    created = WebhookSubscription.objects.get(url="https://hooks.partner.example/sandbox")
    assert created.organization_id == sandbox.pk
    assert signed_in.get(f"{HOOKS}{hook.pk}/").status_code == 404  # a live subscription is another organization's here

    signed_in.post("/portal/environment/", {"environment": "live", "next": HOOKS})
    page = signed_in.get(HOOKS).content.decode()
    assert hook.url in page and created.url not in page


# -- which environment the pages act in -------------------------------------------------------
def _key(organization, mode):
    key, _ = account_services.api_key_create(
        actor=SYSTEM,
        organization=organization,
        data={"name": f"{mode} key", "mode": mode, "scopes": ["events:read"]},
        creator_role=None,
    )
    return key


def test_a_developer_with_only_test_keys_lands_in_the_sandbox_and_is_told_why(signed_in, dev_org, hook):
    sandbox = sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)
    sandbox_hook = WebhookSubscriptionFactory(organization=sandbox, url="https://hooks.partner.example/sandbox-only")
    _key(dev_org, "test")

    for url in (HOOKS, f"{HOOKS}deliveries/", f"{HOOKS}new/"):
        page = signed_in.get(url).content.decode()
        assert "You are working in the <strong>Sandbox</strong>" in page, url
        assert 'title="Pages act in the sandbox">active</span>' in page, url  # the header's Sandbox link agrees
        assert "your organization's only API keys are test keys" in page, url
        # The list pages carry the switch, showing the environment in force; the form only the notice.
        assert ('<option value="sandbox" selected>' in page) == (url != f"{HOOKS}new/"), url
    listed = signed_in.get(HOOKS).content.decode()
    assert sandbox_hook.url in listed and hook.url not in listed
    assert signed_in.get(f"{HOOKS}{sandbox_hook.pk}/").status_code == 200

    # A revoked or expired live key does not count; a usable one makes Live the default again.
    account_services.api_key_revoke(actor=SYSTEM, key=_key(dev_org, "live"))
    assert "You are working in the <strong>Sandbox</strong>" in signed_in.get(HOOKS).content.decode()
    _key(dev_org, "live")
    page = signed_in.get(HOOKS).content.decode()
    assert "You are working <strong>Live</strong>" in page and "the default while your organization has live API keys" in page
    assert hook.url in page and sandbox_hook.url not in page


def test_the_switch_overrides_the_default_and_the_page_says_so(signed_in, dev_org, hook):
    sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)
    _key(dev_org, "test")
    signed_in.post("/portal/environment/", {"environment": "live", "next": HOOKS})
    page = signed_in.get(HOOKS).content.decode()
    assert "You are working <strong>Live</strong>" in page and "you chose it on the Environment switch" in page
    assert hook.url in page and '<option value="live" selected>' in page


def test_the_form_says_which_settings_allow_a_local_http_receiver(signed_in, settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_LOOPBACK = False
    page = signed_in.get(f"{HOOKS}new/").content.decode()
    assert "WEBHOOK_ALLOW_HTTP=true (http:// URLs) and WEBHOOK_ALLOW_LOOPBACK=true (loopback addresses)" in page
    assert "here WEBHOOK_ALLOW_HTTP is off and WEBHOOK_ALLOW_LOOPBACK is off" in page
    refused = create(signed_in, url="http://127.0.0.1:8080/hooks")
    assert refused.status_code == 400 and not WebhookSubscription.objects.exists()

    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert "here WEBHOOK_ALLOW_HTTP is on and WEBHOOK_ALLOW_LOOPBACK is on" in signed_in.get(f"{HOOKS}new/").content.decode()
    assert create(signed_in, url="http://127.0.0.1:8080/hooks").status_code == 200
    assert WebhookSubscription.objects.filter(url="http://127.0.0.1:8080/hooks").exists()
