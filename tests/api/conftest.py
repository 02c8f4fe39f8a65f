"""Fixtures of the API tests: ``world``, two organizations, A full of rows, for tenancy and scope tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from accounts import services as account_services
from accounts.roles import Role
from core import audit
from events.models import EventStatus, SessionMaterial
from integrations import services as integration_services
from integrations.models import CalendarFeed, ExportJob, ExportSchedule
from payments import services as payment_services
from payments.models import Invoice
from registrations import services as registration_services
from registrations.models import CheckIn, EventRegistrationSettings, ImportJob, SessionFeedback
from sso import scim_services
from sso import services as sso_services
from sso.keys import new_key_pair
from tests.factories import EventFactory, MembershipFactory, SessionFactory, SpeakerFactory, UserFactory, VenueFactory
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory


@pytest.fixture
def world(org, other_org):
    """Organization A full of rows; an owner of B with a few rows of its own."""
    a_owner = UserFactory(email="owner@acme.example")
    MembershipFactory(user=a_owner, organization=org, role=Role.OWNER)
    a_editor = UserFactory(email="editor@acme.example")
    MembershipFactory(user=a_editor, organization=org, role=Role.EDITOR)
    venue = VenueFactory(organization=org, name="Acme Hall")
    event = EventFactory(organization=org, venue=venue, title="Acme Summit")
    EventFactory(organization=org, parent=event, title="Acme Summit Day 2")
    session = SessionFactory(event=event)
    speaker = SpeakerFactory(event=event)
    session.speakers.add(speaker)
    link = SessionMaterial.objects.create(
        organization=org, session=session, title="Link", kind=SessionMaterial.Kind.LINK, url="https://example.com/a"
    )
    file = SessionMaterial(organization=org, session=session, title="Deck", kind=SessionMaterial.Kind.FILE)
    file.file.save("deck.pdf", ContentFile(b"%PDF-1.4 acme secret"), save=False)
    file.file_name, file.content_type, file.size = "deck.pdf", "application/pdf", 20
    file.save()
    invitation, token = account_services.invitation_create(
        actor=a_owner, actor_role=Role.OWNER, organization=org, email="new@acme.example", role=Role.EDITOR, invited_by=a_owner
    )
    entry = audit.record(actor=a_owner, action="event.created", target=event, organization_id=org.id)
    event.status = EventStatus.PUBLISHED
    event.save()
    ticket_type = TicketTypeFactory(event=event, name="Acme pass")
    registration = RegistrationFactory(ticket_type=ticket_type, attendee_email="attendee@acme.example")
    EventRegistrationSettings.objects.create(organization=org, event=event, waitlist_enabled=True)
    checkin = CheckIn.objects.create(
        organization=org, event=event, registration=registration, code=registration.ticket_code, accepted=True, result="ok"
    )
    CheckIn.objects.create(
        organization=org,
        event=event,
        session=session,
        registration=registration,
        code=registration.ticket_code,
        accepted=True,
        result="ok",
    )
    SessionFeedback.objects.create(organization=org, session=session, registration=registration, rating=5, comment="acme secret")

    paid_type = TicketTypeFactory(event=event, name="Acme paid", price=Decimal("25.00"), tax_rate=Decimal("19.00"))
    [paid_registration] = registration_services.registration_create(
        actor=a_owner,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=paid_type.pk,
        attendees=[{"name": "Payer", "email": "payer@acme.example"}],
    )
    payment = payment_services.payment_create(actor=a_owner, registrations=[paid_registration])
    payment_services.payment_confirm(actor=a_owner, payment=payment, card_number="4242 4242 4242 4242")
    [pending] = registration_services.registration_create(
        actor=a_owner,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=paid_type.pk,
        attendees=[{"name": "Later", "email": "later@acme.example"}],
    )
    open_payment = payment_services.payment_create(actor=a_owner, registrations=[pending])
    [still_pending] = registration_services.registration_create(
        actor=a_owner,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=paid_type.pk,
        attendees=[{"name": "Last", "email": "last@acme.example"}],
    )

    a_key, _ = account_services.api_key_create(
        actor=a_owner, organization=org, data={"name": "Acme sync", "scopes": ["events:read"]}, creator_role=Role.OWNER
    )

    a_webhook, _ = integration_services.subscription_create(
        actor=a_owner,
        organization=org,
        data={"url": "https://hooks.acme.example/in", "event_types": ["registration.*"], "description": "acme secret"},
    )
    a_delivery = integration_services.subscription_test(actor=a_owner, subscription=a_webhook, event_type="event.created")
    from django.utils import timezone

    from connectors.models import Connection, InboundEvent

    a_connection = Connection.objects.create(organization=org, kind="crm", vendor="toy", name="acme secret")
    a_notification = InboundEvent.objects.create(
        organization=org, connection=a_connection, vendor_event_id="evt_acme", event_type="t", received_at=timezone.now()
    )

    from payments.models import Subscription

    a_pass_connection = Connection.objects.create(organization=org, kind="payment", vendor="stripe", name="acme stripe")
    a_subscription = Subscription.objects.create(
        organization=org, connection=a_pass_connection, provider="stripe", series=event, buyer_name="Acme buyer",
        buyer_email="buyer@acme.example", amount=Decimal("30.00"), currency="EUR",
    )  # fmt: skip

    a_provider = sso_services.identity_provider_create(
        actor=a_owner,
        organization=org,
        data={
            "protocol": "saml",
            "name": "Acme IdP",
            "idp_entity_id": "https://idp.acme.example/metadata",
            "sso_url": "https://idp.acme.example/sso",
            "signing_certificates": [new_key_pair("acme idp")[0]],
        },
    )
    a_domain = sso_services.domain_claim(actor=a_owner, organization=org, domain="acme.example", identity_provider=a_provider)
    a_scim_token, _ = scim_services.scim_token_create(actor=a_owner, organization=org, name="Acme Okta", created_by=a_owner)

    b_owner = UserFactory(email="owner@rival.example")
    MembershipFactory(user=b_owner, organization=other_org, role=Role.OWNER)
    # Under way (inside its check-in window): scanning A's codes at it answers TICKET_NOT_FOUND, not a closed window.
    b_event = DoorsOpenEventFactory(organization=other_org, title="Rival Meetup", capacity=200)
    b_session = SessionFactory(event=b_event)
    RegistrationFactory(ticket_type=TicketTypeFactory(event=b_event, name="Rival pass"), attendee_email="x@rival.example")
    VenueFactory(organization=other_org)
    account_services.invitation_create(
        actor=b_owner,
        actor_role=Role.OWNER,
        organization=other_org,
        email="x@rival.example",
        role=Role.VIEWER,
        invited_by=b_owner,
    )
    audit.record(actor=b_owner, action="event.created", target=b_event, organization_id=other_org.id)

    ids = {
        "a_user": str(a_owner.id),
        "a_editor": str(a_editor.id),
        "a_venue": str(venue.id),
        "a_event": str(event.id),
        "a_session": str(session.id),
        "a_speaker": str(speaker.id),
        "a_material": str(link.id),
        "a_file": str(file.id),
        "a_invitation": str(invitation.id),
        "a_audit": str(entry.id),
        "a_key": str(a_key.id),
        "a_token": token,
        "a_ticket_type": str(ticket_type.id),
        "a_registration": str(registration.id),
        "a_code": registration.ticket_code,
        "a_payment": str(payment.id),
        "a_open_payment": str(open_payment.id),
        "a_invoice": str(Invoice.objects.get(payment=payment).id),
        "a_pending": str(still_pending.id),
        "a_checkin": str(checkin.id),
        "a_webhook": str(a_webhook.id),
        "a_delivery": str(a_delivery.id),
        "a_connection": str(a_connection.id),
        "a_subscription": str(a_subscription.id),
        "a_notification": str(a_notification.id),
        "a_provider": str(a_provider.id),
        "a_domain": str(a_domain.id),
        "a_scim_token": str(a_scim_token.id),
        "a_export": str(ExportJob.objects.create(organization=org, type="registrations", format="csv").id),
        "a_export_schedule": str(
            ExportSchedule.objects.create(
                organization=org,
                name="A nightly",
                type="registrations",
                format="csv",
                cron="0 2 * * *",
                destination="email",
                recipients=["a@acme.example"],
            ).id
        ),
        "a_calendar_feed": str(
            CalendarFeed.objects.create(organization=org, attendee_email="ada@acme.example", token_hash="0" * 64).id
        ),
        "a_import": str(
            ImportJob.objects.create(
                organization=org, event=event, kind="registrations", status="validated", file_name="a.csv", file_size=1
            ).id
        ),
        "b_event": str(b_event.id),
        "b_session": str(b_session.id),
        "org_a": str(org.id),
    }
    return {"ids": ids, "attacker": b_owner, "org": org}
