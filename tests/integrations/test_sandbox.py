"""The sandbox's sample data, its reset and the trigger-event actions (integrations.sandbox)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organization, OrganizationKind
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent
from events import demo
from events.models import Event
from integrations import catalog
from integrations import sandbox as sandboxes
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from integrations.tasks import sweep
from payments import services as payment_services
from payments.models import Payment, PaymentStatus
from payments.providers import _PROVIDERS
from payments.providers.sandbox import SandboxProvider
from registrations.models import Registration, RegistrationStatus
from tests.factories import OrganizationFactory
from tests.integrations.helpers import verify

pytestmark = pytest.mark.django_db

SEED_COUNTS = {
    "events": 3,  # the conference, the meetup series, the draft workshop (as the page lists them)
    "sub-events": 4,  # the meetup's
    "sessions": 6,
    "ticket types": 3,
    "registrations": 7,
    "payments": 4,
    "webhook subscriptions": 0,
    "webhook deliveries": 0,
}


@pytest.fixture
def dev_org():
    return OrganizationFactory(name="Partner Labs", kind=OrganizationKind.DEVELOPER)


@pytest.fixture
def sandbox(dev_org):
    return sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)


def test_provisioning_seeds_sample_data_through_the_services_without_delivering_it(dev_org, sandbox):
    assert sandbox.kind == OrganizationKind.SANDBOX and sandbox.sandbox_of == dev_org
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts == SEED_COUNTS
    statuses = sorted(Payment.objects.filter(organization=sandbox).values_list("status", flat=True))
    assert statuses == sorted([PaymentStatus.SUCCEEDED, PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, "requires_payment"])
    assert set(Payment.objects.filter(organization=sandbox).values_list("provider", flat=True)) == {"sandbox"}
    assert Registration.objects.filter(organization=sandbox, status=RegistrationStatus.CONFIRMED).count() == 5
    assert sandbox.checkins.filter(accepted=True).count() == 1
    # The conference is four weeks ahead; its check-in window opens at seeding (the default would refuse for weeks).
    conference = sandbox.events.get(slug=demo.CONFERENCE_SLUG)
    assert conference.check_in_opens_at <= timezone.now() < conference.starts_at - dt.timedelta(weeks=3)
    assert sandbox.events.exclude(pk=conference.pk).filter(check_in_opens_minutes_before_start=24 * 60).count() == 6
    rows = OutboxEvent.objects.filter(organization_id=sandbox.pk)
    assert rows.exists() and not rows.filter(dispatched_at__isnull=True).exists()  # silent: marked dispatched
    assert AuditEntry.objects.filter(organization_id=sandbox.pk, action="payment.succeeded").count() == 2
    assert sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org) == sandbox  # once per organization
    assert Organization.objects.filter(sandbox_of=dev_org).count() == 1


def test_reset_restores_the_seed_and_keeps_subscriptions(dev_org, sandbox, subscribe, eager):
    subscription, _ = subscribe(["registration.*"], organization=sandbox)
    sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="payment.completed")
    sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="event.created")
    sweep()  # dispatch (the test's transaction never commits) and deliver
    changed = sandboxes.sandbox_summary(sandbox=sandbox).counts
    assert changed["registrations"] == 8 and changed["events"] == 4 and changed["webhook deliveries"] == 2
    seed_event_ids = set(Event.objects.filter(organization=sandbox).values_list("pk", flat=True))

    sandboxes.sandbox_reset(actor=SYSTEM, sandbox=sandbox)
    assert sandboxes.sandbox_summary(sandbox=sandbox).counts == {**SEED_COUNTS, "webhook subscriptions": 1}
    assert WebhookSubscription.objects.get() == subscription
    assert not seed_event_ids & set(Event.objects.filter(organization=sandbox).values_list("pk", flat=True))
    assert not AuditEntry.objects.filter(organization_id=sandbox.pk, action="webhook.created").exists()
    assert AuditEntry.objects.filter(organization_id=dev_org.pk, action="organization.sandbox_reset").count() == 1
    assert not OutboxEvent.objects.filter(organization_id=sandbox.pk, dispatched_at__isnull=True).exists()
    assert WebhookDelivery.objects.count() == 0  # the re-seed is not delivered


def test_reset_covers_every_row_of_an_organization():
    """A model with an organization that the reset neither deletes nor keeps on purpose fails here: decide for it."""
    kept_elsewhere = {"accounts", "api", "oauth2_provider", "account", "mfa", "socialaccount", "usersessions"}
    organization_models = {
        model
        for model in apps.get_models()
        if model._meta.app_label not in kept_elsewhere
        and any(field.name == "organization" or field.attname == "organization_id" for field in model._meta.concrete_fields)
    }
    assert organization_models == set(sandboxes.RESET_ORDER) | set(sandboxes.KEPT)


@pytest.mark.parametrize("event_type", list(catalog.CATALOG))
def test_every_catalog_type_is_fired_by_a_real_action(sandbox, event_type):
    rows = sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type=event_type)
    assert event_type in [row.event_type for row in rows]
    assert event_type in sandboxes.ACTIONS
    row = next(row for row in rows if row.event_type == event_type)
    assert row.organization_id == sandbox.pk and row.dispatched_at is None
    assert set(catalog.example_data(event_type)) <= set(row.data)  # the API's rendering of a real row
    assert row.data != catalog.example_data(event_type)


def test_a_type_without_an_action_publishes_the_catalog_example(sandbox, monkeypatch):
    monkeypatch.delitem(sandboxes.ACTIONS, "checkin.completed")
    [row] = sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="checkin.completed")
    assert row.event_type == "checkin.completed" and row.data == catalog.example_data("checkin.completed")


def test_triggering_refuses_unknown_types_real_organizations_and_a_lost_seed(dev_org, sandbox):
    with pytest.raises(DomainError) as unknown:
        sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="invoice.sent")
    assert unknown.value.code == "VALIDATION_ERROR"
    with pytest.raises(DomainError):
        sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=dev_org, event_type="event.created")
    Event.objects.filter(organization=sandbox, slug="demo-conf").update(status="cancelled")
    with pytest.raises(DomainError) as lost:
        sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="registration.created")
    assert lost.value.code == "SANDBOX_SEED_MISSING"


def test_a_triggered_event_reaches_the_sandbox_receiver_signed(dev_org, sandbox, subscribe, receiver, eager):
    _, secret = subscribe(["payment.completed"], organization=sandbox)
    subscribe(["payment.completed"], organization=dev_org)  # a live subscription hears nothing of the sandbox
    sandboxes.sandbox_trigger(actor=SYSTEM, sandbox=sandbox, event_type="payment.completed")
    sweep()
    assert len(receiver.requests) == 1
    body = verify(secret, receiver.requests[0])
    assert body["event"] == "payment.completed" and body["data"]["status"] == "succeeded"
    assert Decimal(str(body["data"]["amount"])) == Decimal("49.00")
    delivery = WebhookDelivery.objects.get()
    assert delivery.organization_id == sandbox.pk and delivery.status == DeliveryStatus.SUCCEEDED


def test_a_sandbox_pays_through_the_sandbox_provider_only(sandbox, org, monkeypatch):
    class RealMoney(SandboxProvider):
        name = "realmoney"

    monkeypatch.setitem(_PROVIDERS, "realmoney", RealMoney)
    pending = Registration.objects.filter(organization=sandbox, status=RegistrationStatus.PENDING_PAYMENT).exclude(
        payment_items__payment__status__in=["requires_payment", "processing"]
    )
    [registration] = list(pending)
    with pytest.raises(DomainError) as refused:
        payment_services.payment_create(actor=SYSTEM, registrations=[registration], provider="realmoney")
    assert refused.value.code == "PAYMENT_PROVIDER_NOT_ALLOWED"
    payment = payment_services.payment_create(actor=SYSTEM, registrations=[registration])
    assert payment.provider == "sandbox"


def test_the_create_sandboxes_command_provisions_only_the_missing_ones(dev_org, sandbox):
    late = OrganizationFactory(name="Late Partner", kind=OrganizationKind.DEVELOPER)
    OrganizationFactory(name="Organizer")  # organizers get none
    out = StringIO()
    call_command("create_sandboxes", stdout=out)
    assert "1 sandbox created." in out.getvalue()
    assert Organization.objects.filter(kind=OrganizationKind.SANDBOX).count() == 2
    assert sandboxes.sandbox_summary(sandbox=late.sandbox).counts == SEED_COUNTS
    call_command("create_sandboxes", stdout=out)
    assert "0 sandboxes created." in out.getvalue()


def test_reset_removes_uploaded_material_files_after_the_commit(sandbox, settings, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events import services as event_services
    from events.models import Session

    session = Session.objects.filter(organization=sandbox).first()
    material = event_services.material_add_file(
        actor=SYSTEM,
        session=session,
        title="Deck",
        upload=SimpleUploadedFile("deck.pdf", b"%PDF-1.4 sandbox"),
        content_type="application/pdf",
    )
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        sandboxes.sandbox_reset(actor=SYSTEM, sandbox=sandbox)
    assert not storage.exists(name)
