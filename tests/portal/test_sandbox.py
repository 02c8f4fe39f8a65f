"""The Sandbox page: the seed summary, firing catalog events through the webhook pipeline, reset; the Live / Sandbox
environment (portal.tenancy); a sandbox at sign-up and for test keys; permissions, tenancy and CSRF."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory

from accounts.models import Organization, OrganizationKind, User
from accounts.roles import Role
from core.audit import SYSTEM
from core.models import OutboxEvent
from integrations import sandbox as sandboxes
from integrations import services as webhook_services
from integrations.models import DeliveryStatus, WebhookDelivery
from portal import tenancy
from tests.factories import OrganizationFactory, UserFactory

# The webhook tests' local receiver, in-process tasks and local-development delivery settings (http, loopback).
from tests.integrations.conftest import _local_delivery, receiver  # noqa: F401
from tests.integrations.helpers import verify
from tests.portal.helpers import INLINE, registered

pytestmark = pytest.mark.django_db

PAGE = "/portal/sandbox/"
TRIGGER = "/portal/sandbox/trigger/"
RESET = "/portal/sandbox/reset/"
CREATE = "/portal/sandbox/create/"
ENVIRONMENT = "/portal/environment/"


@pytest.fixture
def sandbox(dev_org) -> Organization:
    return sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_seed_summary_and_the_forms(dev_member, sandbox, django_assert_max_num_queries):
    client = signed_in(dev_member(Role.OWNER))
    with django_assert_max_num_queries(17):  # session, user, memberships, the sandbox, key modes, 7 counts, 4 short lists
        response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Demo Conf", "Berlin Tech Meetup", "Sofia Pending", "Community pass", "49.00 EUR", "•••• 4242"):
        assert text in html, text
    assert '<span class="stat-value">7</span> registrations' in html
    # The event count is the list's: three top-level events listed, the meetup's four sub-events apart.
    assert '<span class="stat-value">3</span> events' in html and '<span class="stat-value">4</span> sub-events' in html
    assert "All 3 events, by start" in html and html.count("<td>4</td>") == 1
    assert 'action="/portal/sandbox/trigger/"' in html and 'action="/portal/sandbox/reset/"' in html
    assert 'value="payment.completed"' in html and "Payment successfully processed" in html
    assert "No deliveries yet. Switch the environment to Sandbox" in html
    assert 'href="/portal/sandbox/"' in client.get("/portal/dashboard/").content.decode()  # navigation and next steps


def test_sign_up_creates_the_developer_organization_with_a_seeded_sandbox(client):
    user = registered(client, "new@partner.example", "New Partner")
    organization = user.memberships.get().organization
    sandbox = organization.sandbox
    assert sandbox.kind == OrganizationKind.SANDBOX and not sandbox.memberships.exists()
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts["events"] == 3
    assert "Demo Conf" in client.get(PAGE).content.decode()


def test_an_organization_made_before_sandboxes_gets_one_on_request(dev_member, dev_org):
    viewer = signed_in(dev_member(Role.VIEWER))
    html = viewer.get(PAGE).content.decode()
    assert "No sandbox yet" in html and "Ask an owner or admin" in html and 'action="/portal/sandbox/create/"' not in html
    assert viewer.post(CREATE).status_code == 403
    owner = signed_in(dev_member(Role.OWNER))
    assert 'action="/portal/sandbox/create/"' in owner.get(PAGE).content.decode()
    assert owner.post(RESET, {"confirm": "on"}).status_code == 404  # no sandbox to act in
    assert owner.post(TRIGGER, {"event_type": "event.created"}).status_code == 404
    response = owner.post(CREATE)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert Organization.objects.get(sandbox_of=dev_org).kind == OrganizationKind.SANDBOX
    assert "The sandbox is ready" in owner.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("event_type", "published"),
    [
        ("registration.created", ["registration.created"]),
        ("payment.completed", ["registration.created", "registration.confirmed", "payment.completed"]),
        ("session.cancelled", ["session.created", "session.cancelled"]),
        ("checkin.completed", ["registration.created", "registration.confirmed", "checkin.completed"]),
        ("event.updated", ["event.updated"]),
    ],
)
@pytest.mark.usefixtures("eager")
def test_the_trigger_form_delivers_through_the_webhook_pipeline(
    request, dev_member, dev_org, sandbox, event_type, published, django_capture_on_commit_callbacks
):
    hooks = request.getfixturevalue("receiver")
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=sandbox, data={"url": hooks.url, "event_types": [event_type]}
    )
    webhook_services.subscription_create(actor=SYSTEM, organization=dev_org, data={"url": hooks.url, "event_types": [event_type]})
    seeded = set(OutboxEvent.objects.values_list("pk", flat=True))
    client = signed_in(dev_member(Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TRIGGER, {"event_type": event_type})
    assert response.status_code == 302 and response["Location"] == PAGE
    rows = OutboxEvent.objects.exclude(pk__in=seeded).order_by("created_at")
    assert [row.event_type for row in rows] == published
    assert all(row.organization_id == sandbox.pk and row.dispatched_at is not None for row in rows)
    [delivery] = WebhookDelivery.objects.all()  # the sandbox's subscription only; the live one hears nothing
    assert delivery.organization_id == sandbox.pk and delivery.status == DeliveryStatus.SUCCEEDED
    [request] = hooks.requests
    body = verify(secret, request)
    assert body["event"] == event_type and body["id"] == delivery.message_id
    html = client.get(PAGE).content.decode()
    assert f"{event_type} fired in the sandbox" in html and hooks.url in html and "Succeeded" in html


def test_a_bad_or_impossible_trigger_is_refused_inline(dev_member, sandbox):
    client = signed_in(dev_member(Role.OWNER))
    response = client.post(TRIGGER, {"event_type": "invoice.sent"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    sandbox.events.filter(slug="demo-conf").update(status="cancelled")
    response = client.post(TRIGGER, {"event_type": "registration.created"})
    html = response.content.decode()
    assert response.status_code == 400 and "sample data is gone" in html and "field-invalid" in html
    assert not OutboxEvent.objects.filter(organization_id=sandbox.pk, dispatched_at__isnull=True).exists()


def test_reset_needs_confirmation_and_restores_the_seed(dev_member, sandbox):
    client = signed_in(dev_member(Role.OWNER))
    client.post(TRIGGER, {"event_type": "registration.created"})
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts["registrations"] == 8
    refused = client.post(RESET, {})
    assert refused.status_code == 400 and "Tick the box to confirm the reset." in refused.content.decode()
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts["registrations"] == 8
    response = client.post(RESET, {"confirm": "on"})
    assert response.status_code == 302
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts["registrations"] == 7
    assert "The sandbox is reset" in client.get(PAGE).content.decode()


def test_the_environment_switch_makes_pages_act_in_the_sandbox(dev_member, dev_org):
    viewer = signed_in(dev_member(Role.VIEWER))  # any member may switch; switching creates a missing sandbox
    response = viewer.post(ENVIRONMENT, {"environment": "sandbox", "next": "/portal/keys/"})
    assert response.status_code == 302 and response["Location"] == "/portal/keys/"
    sandbox = Organization.objects.get(sandbox_of=dev_org)
    assert viewer.session[tenancy.ENVIRONMENT_KEY] == "sandbox"
    html = viewer.get(PAGE).content.decode()
    assert "You are working in the sandbox" in html and '<option value="sandbox" selected>' in html
    assert viewer.post(ENVIRONMENT, {"environment": "live", "next": "https://evil.example/"})["Location"] == PAGE
    assert viewer.session[tenancy.ENVIRONMENT_KEY] == "live"
    assert viewer.post(ENVIRONMENT, {"environment": "staging"})["Location"] == "/portal/dashboard/"
    assert Organization.objects.filter(sandbox_of=dev_org).get() == sandbox


def test_current_organization_follows_the_environment(dev_member, dev_org, sandbox, django_assert_num_queries):
    user = dev_member(Role.ADMIN)
    request = RequestFactory().get(PAGE)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    membership = tenancy.membership_or_404(request)
    with django_assert_num_queries(1):  # no choice yet: the organization's key modes decide, once a request
        assert tenancy.current_organization(request, membership) == dev_org
        assert tenancy.environment_of(request, membership) == tenancy.Environment(tenancy.LIVE, tenancy.DEFAULT)
    tenancy.set_environment(request, tenancy.LIVE)
    with django_assert_num_queries(0):
        assert tenancy.current_organization(request, membership) == dev_org
    tenancy.set_environment(request, tenancy.SANDBOX)
    with django_assert_num_queries(1):
        assert tenancy.current_organization(request, membership) == sandbox
    with pytest.raises(ValueError):
        tenancy.set_environment(request, "staging")


def test_a_test_key_created_on_the_keys_page_works_in_a_new_sandbox(dev_member, dev_org):
    client = signed_in(dev_member(Role.OWNER))
    response = client.post("/portal/keys/", {"name": "Try", "mode": "test", "scopes": ["events:read"]})
    assert response.status_code == 200
    raw = next(part for part in response.content.decode().split('"') if part.startswith("emp_test_"))
    ping = Client().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert ping["organization"]["id"] == str(dev_org.sandbox.pk) and ping["organization"]["kind"] == "sandbox"


def test_a_partner_acts_only_in_its_own_sandbox(dev_member, dev_org, sandbox):
    other = OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER)
    other_sandbox = sandboxes.sandbox_provision(actor=SYSTEM, organization=other)
    client = signed_in(dev_member(Role.OWNER, organization=other))
    html = client.get(PAGE).content.decode()
    assert "Beta Dev" in html and "Partner Labs" not in html
    client.post(TRIGGER, {"event_type": "event.created"})
    assert sandbox.events.count() == 7 and other_sandbox.events.count() == 8
    for target in (dev_org, sandbox, other_sandbox):  # a sandbox is no organization to switch to; another's is unknown
        assert client.post("/portal/organizations/switch/", {"organization": str(target.pk)}).status_code == 404


def test_without_a_developer_organization_the_page_is_a_404(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 404
    assert client.post(ENVIRONMENT, {"environment": "sandbox"}).status_code == 404


@pytest.mark.parametrize("url", [PAGE, TRIGGER, RESET, CREATE, ENVIRONMENT])
def test_anonymous_visitors_are_sent_to_sign_in(client, url, sandbox):
    response = client.post(url, {"event_type": "event.created", "confirm": "on"}) if url != PAGE else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/")
    assert sandbox.events.count() == 7


def test_a_role_without_the_integrations_permission_sees_but_cannot_change(dev_member, sandbox):
    client = signed_in(dev_member(Role.VIEWER))
    html = client.get(PAGE).content.decode()
    assert "Demo Conf" in html and "Only owners and admins fire events" in html
    assert 'action="/portal/sandbox/trigger/"' not in html and 'action="/portal/sandbox/reset/"' not in html
    assert client.post(TRIGGER, {"event_type": "event.created"}).status_code == 403
    assert client.post(RESET, {"confirm": "on"}).status_code == 403
    assert sandbox.events.count() == 7


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (TRIGGER, {"event_type": "event.created"}),
        (RESET, {"confirm": "on"}),
        (CREATE, {}),
        (ENVIRONMENT, {"environment": "sandbox"}),
    ],
)
def test_posts_need_the_csrf_token(dev_member, sandbox, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dev_member(Role.OWNER))
    assert client.post(url, data).status_code == 403
    assert sandbox.events.count() == 7


def test_the_page_has_no_inline_script_or_style(dev_member, sandbox):
    client = signed_in(dev_member(Role.OWNER))
    assert not INLINE.search(client.get(PAGE).content.decode())
    client.post(ENVIRONMENT, {"environment": "sandbox"})
    assert not INLINE.search(client.get(PAGE).content.decode())


def test_get_on_the_environment_switch_redirects_to_the_sandbox_page_and_changes_nothing(dev_member, sandbox, client):
    viewer = signed_in(dev_member(Role.VIEWER))
    for method in (viewer.get, viewer.head):
        response = method(ENVIRONMENT)
        assert response.status_code == 302 and response["Location"] == PAGE
    assert tenancy.ENVIRONMENT_KEY not in viewer.session
    assert viewer.put(ENVIRONMENT).status_code == 405
    anonymous = client.get(ENVIRONMENT)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/portal/accounts/login/")


def test_the_event_list_says_when_it_shows_only_the_first_events(dev_member, sandbox):
    for _ in range(3):
        sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="event.created")
    html = signed_in(dev_member(Role.OWNER)).get(PAGE).content.decode()
    assert '<span class="stat-value">6</span> events' in html and "The first 5 of 6 events, by start" in html
