"""List endpoints run a constant number of queries, whatever the page size (no N+1)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from accounts import services as account_services
from accounts.roles import Role
from core import audit
from events.models import SessionMaterial, Tag
from tests.factories import EventFactory, MembershipFactory, SessionFactory, SpeakerFactory, UserFactory, VenueFactory
from tests.registrations.factories import RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(org):
    return EventFactory(organization=org, title="Parent")


@pytest.fixture
def session(parent):
    return SessionFactory(event=parent)


def _events(org, parent, session, owner, n):
    tags = [Tag.objects.get_or_create(organization=org, name=name)[0] for name in ("ai", "web", "data")]
    for _ in range(n):
        event = EventFactory(organization=org, venue=VenueFactory(organization=org))
        event.tags.add(*tags[:2])


def _sub_events(org, parent, session, owner, n):
    tag = Tag.objects.get_or_create(organization=org, name="series")[0]
    for _ in range(n):
        EventFactory(organization=org, parent=parent).tags.add(tag)


def _venues(org, parent, session, owner, n):
    for _ in range(n):
        VenueFactory(organization=org)


def _sessions(org, parent, session, owner, n):
    speakers = [SpeakerFactory(event=parent) for _ in range(2)]
    for _ in range(n):
        SessionFactory(event=parent).speakers.add(*speakers)


def _speakers(org, parent, session, owner, n):
    for _ in range(n):
        SpeakerFactory(event=parent, user=owner)


def _users(org, parent, session, owner, n):
    for _ in range(n):
        MembershipFactory(organization=org, user=UserFactory(), role=Role.EDITOR)


def _invitations(org, parent, session, owner, n):
    for _ in range(n):
        email = UserFactory.build().email.replace("@", "-invite@")
        account_services.invitation_create(
            actor=owner, actor_role=Role.OWNER, organization=org, email=email, role=Role.VIEWER, invited_by=owner
        )


def _materials(org, parent, session, owner, n):
    for i in range(n):
        if i % 2:
            SessionMaterial.objects.create(
                organization=org, session=session, title=f"L{i}", kind=SessionMaterial.Kind.LINK, url="https://e.example"
            )
        else:
            material = SessionMaterial(organization=org, session=session, title=f"F{i}", kind=SessionMaterial.Kind.FILE)
            material.file.save("f.pdf", ContentFile(b"%PDF-1.4"), save=False)
            material.file_name, material.content_type, material.size = "f.pdf", "application/pdf", 8
            material.save()


def _audit(org, parent, session, owner, n):
    for _ in range(n):
        audit.record(actor=owner, action="event.updated", target=parent, organization_id=org.id, changes={"title": {}})


def _api_keys(org, parent, session, owner, n):
    for i in range(n):
        account_services.api_key_create(
            actor=owner, organization=org, data={"name": f"Key {i}", "scopes": ["events:read"]}, creator_role=Role.OWNER
        )


def _ticket_types(org, parent, session, owner, n):
    for _ in range(n):
        RegistrationFactory(ticket_type=TicketTypeFactory(event=parent))


def _registrations(org, parent, session, owner, n):
    ticket_types = [TicketTypeFactory(event=parent) for _ in range(2)]
    for i in range(n):
        RegistrationFactory(ticket_type=ticket_types[i % 2], status=("confirmed", "waitlisted")[i % 2])


def _attendees(org, parent, session, owner, n):
    ticket_type = TicketTypeFactory(event=parent)
    for _ in range(n):
        RegistrationFactory(ticket_type=ticket_type, answers={"q": "a"})


def _checkins(org, parent, session, owner, n):
    from registrations.models import CheckIn

    ticket_type = TicketTypeFactory(event=parent)
    for i in range(n):
        registration = RegistrationFactory(ticket_type=ticket_type)
        CheckIn.objects.create(
            organization=org,
            event=parent,
            session=session if i % 2 else None,
            registration=registration if i % 3 else None,
            code=registration.ticket_code,
            accepted=bool(i % 3),
            result="ok" if i % 3 else "TICKET_NOT_FOUND",
        )


def _payments(org, parent, session, owner, n):
    from payments.models import Invoice, Payment, PaymentItem, Refund

    ticket_type = TicketTypeFactory(event=parent, price=Decimal("20.00"))
    for i in range(n):
        registrations = [RegistrationFactory(ticket_type=ticket_type) for _ in range(2)]
        payment = Payment.objects.create(
            organization=org, event=parent, amount=Decimal("40.00"), currency="EUR", status="succeeded"
        )
        for registration in registrations:
            PaymentItem.objects.create(
                payment=payment, registration=registration, ticket_type=ticket_type, amount=Decimal("20.00"), tax_rate=0
            )
        if i % 2:
            Refund.objects.create(organization=org, payment=payment, amount=Decimal("5.00"), reason="r")
            Invoice.objects.create(
                organization=org,
                payment=payment,
                number=f"Q-{payment.id.hex[:20]}",
                buyer_name="B",
                buyer_email="b@example.com",
                currency="EUR",
                total_net=Decimal("40.00"),
                total_tax=Decimal("0.00"),
                total_gross=Decimal("40.00"),
                issued_at=payment.created_at,
            )


def _invoices(org, parent, session, owner, n):
    _payments(org, parent, session, owner, 2 * n)


def _webhooks(org, parent, session, owner, n):
    from integrations import services as integration_services

    for i in range(n):
        subscription, _ = integration_services.subscription_create(
            actor=owner, organization=org, data={"url": f"https://h{i}.example/in", "event_types": ["event.*"]}
        )
        integration_services.subscription_test(actor=owner, subscription=subscription, event_type="event.created")


_IDP_CERT: list[str] = []


def _identity_providers(org, parent, session, owner, n):
    from sso import services as sso_services
    from sso.keys import new_key_pair

    _IDP_CERT[:] = _IDP_CERT or [new_key_pair("idp")[0]]
    for i in range(n):
        data = {
            "protocol": "saml",
            "name": f"IdP {i}",
            "idp_entity_id": f"https://idp{i}.example/metadata",
            "sso_url": f"https://idp{i}.example/sso",
            "signing_certificates": _IDP_CERT,
        }
        provider = sso_services.identity_provider_create(actor=owner, organization=org, data=data)
        sso_services.domain_claim(
            actor=owner, organization=org, domain=f"d{i}-{provider.pk.hex[:6]}.example", identity_provider=provider
        )


def _scim_tokens(org, parent, session, owner, n):
    from sso import scim_services

    for i in range(n):
        scim_services.scim_token_create(actor=owner, organization=org, name=f"IdP {i}", created_by=owner)


def _connections(org, parent, session, owner, n):
    from connectors.models import Connection

    Connection.objects.bulk_create(Connection(organization=org, kind="crm", vendor="toy") for _ in range(n))


def _subscriptions(org, parent, session, owner, n):
    from connectors.models import Connection
    from payments.models import Subscription

    connection = Connection.objects.create(organization=org, kind="payment", vendor="stripe")
    Subscription.objects.bulk_create(
        Subscription(
            organization=org,
            connection=connection,
            provider="stripe",
            series=parent,
            buyer_name=f"B {i}",
            buyer_email=f"b{i}@example.com",
            amount=30,
            currency="EUR",
        )
        for i in range(n)
    )


def _exports(org, parent, session, owner, n):
    from integrations.models import ExportJob

    ExportJob.objects.bulk_create(ExportJob(organization=org, type="registrations", format="csv") for _ in range(n))


def _imports(org, parent, session, owner, n):
    from registrations.models import ImportJob, ImportStatus

    ImportJob.objects.bulk_create(
        ImportJob(
            organization=org,
            event=parent,
            kind="registrations",
            status=ImportStatus.SUCCEEDED,
            file_name="a.csv",
            file_size=1,
            outcomes={"confirmed": 1},
        )
        for _ in range(n)
    )


def _calendar_feeds(org, parent, session, owner, n):
    import secrets

    from integrations.models import CalendarFeed

    CalendarFeed.objects.bulk_create(
        CalendarFeed(organization=org, attendee_email=f"a{i}@example.com", token_hash=secrets.token_hex(32)) for i in range(n)
    )


def _export_schedules(org, parent, session, owner, n):
    from integrations.models import ExportSchedule

    ExportSchedule.objects.bulk_create(
        ExportSchedule(
            organization=org,
            name=f"Nightly {i}",
            type="registrations",
            format="csv",
            cron="0 2 * * *",
            destination="email",
            recipients=["a@example.com"],
        )
        for i in range(n)
    )


# endpoint -> (url, seeding function, pinned query count)
LISTS: dict[str, tuple[str, Callable[..., Any], int]] = {
    "events": ("/api/v1/events", _events, 6),
    "sub-events": ("/api/v1/events/{parent}/sub-events", _sub_events, 8),
    "venues": ("/api/v1/venues", _venues, 5),
    "sessions": ("/api/v1/events/{parent}/sessions", _sessions, 8),
    "speakers": ("/api/v1/events/{parent}/speakers", _speakers, 7),
    "users": ("/api/v1/users", _users, 5),
    "invitations": ("/api/v1/invitations", _invitations, 5),
    "materials": ("/api/v1/events/{parent}/sessions/{session}/materials", _materials, 9),
    "audit-log": ("/api/v1/audit-log", _audit, 5),
    "api-keys": ("/api/v1/api-keys", _api_keys, 5),
    "ticket-types": ("/api/v1/events/{parent}/ticket-types", _ticket_types, 7),
    "registrations": ("/api/v1/registrations", _registrations, 5),
    # + one prefetch of the payments' disputes (a gateway payment shows them)
    "payments": ("/api/v1/payments", _payments, 8),
    "invoices": ("/api/v1/invoices", _invoices, 5),
    "attendees": ("/api/v1/events/{parent}/attendees", _attendees, 7),
    "checkins": ("/api/v1/checkins", _checkins, 5),
    "webhooks": ("/api/v1/webhooks", _webhooks, 5),
    "webhook-deliveries": ("/api/v1/webhook-deliveries", _webhooks, 5),
    "identity-providers": ("/api/v1/identity-providers", _identity_providers, 6),
    "email-domains": ("/api/v1/email-domains", _identity_providers, 5),
    "scim-tokens": ("/api/v1/scim-tokens", _scim_tokens, 5),
    "connections": ("/api/v1/connections", _connections, 5),
    "exports": ("/api/v1/exports", _exports, 5),
    "imports": ("/api/v1/imports", _imports, 5),
    "subscriptions": ("/api/v1/subscriptions", _subscriptions, 5),
    "calendar-feeds": ("/api/v1/calendar-feeds", _calendar_feeds, 5),
    "export-schedules": ("/api/v1/export-schedules", _export_schedules, 5),
}


def _fresh(assert_num_queries: Any, statements: Any) -> Any:
    def fresh(n: int) -> Any:
        statements.clear()
        return assert_num_queries(n)

    return fresh


@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_is_constant(name, org, owner, parent, session, client_owner, django_assert_num_queries):
    """Pinned: session + user + membership, the parent rows, count, rows, one query per prefetch.

    The cursor style skips the count query; every other style runs exactly ``pinned``.
    """
    from api import statements

    url_template, seed, pinned = LISTS[name]
    url = url_template.format(parent=parent.id, session=session.id)
    # Every read builds its statements here: a list's recorded statements run its count inside its rows'
    # statement, one fewer (tests/api/test_statements.py counts those).
    django_assert_num_queries = _fresh(django_assert_num_queries, statements)
    seed(org, parent, session, owner, 3)
    for query in ("pageSize=2", "pageSize=30"):
        with django_assert_num_queries(pinned):
            assert client_owner.get(f"{url}?{query}").status_code == 200
    seed(org, parent, session, owner, 30)
    for query in ("pageSize=2", "pageSize=30", "limit=30&offset=1"):
        with django_assert_num_queries(pinned):
            response = client_owner.get(f"{url}?{query}")
            assert response.status_code == 200
    assert len(response.json()["data"]) == 30
    with django_assert_num_queries(pinned - 1):
        assert client_owner.get(f"{url}?cursor=&pageSize=30").status_code == 200


def test_every_list_route_is_pinned():
    from tests.api.test_tenancy import CASES

    list_routes = {
        c.route for c in CASES if c.expect == "list" or (c.method == "GET" and c.route.endswith(("-list", "sub-events")))
    }
    covered = {
        "events": "event-list",
        "sub-events": "event-sub-events",
        "venues": "venue-list",
        "sessions": "event-session-list",
        "speakers": "event-speaker-list",
        "users": "user-list",
        "invitations": "invitation-list",
        "materials": "session-material-list",
        "audit-log": "audit-entry-list",
        "api-keys": "api-key-list",
        "ticket-types": "event-ticket-type-list",
        "registrations": "registration-list",
        "payments": "payment-list",
        "invoices": "invoice-list",
        "attendees": "event-attendee-list",
        "checkins": "checkin-list",
        "webhooks": "webhook-list",
        "webhook-deliveries": "webhook-delivery-list",
        "identity-providers": "identity-provider-list",
        "email-domains": "email-domain-list",
        "scim-tokens": "scim-token-list",
        "connections": "connection-list",
        "exports": "export-list",
        "imports": "import-list",
        "subscriptions": "subscription-list",
        "calendar-feeds": "calendar-feed-list",
        "export-schedules": "export-schedule-list",
    }
    # Not paginated: a few rows per organization or event (one per message type and language).
    # The change feed pages by its own cursor (tests/api/test_sync.py pins its queries).
    unpaged = {"email-template-list", "event-email-analytics-list", "change-list"}
    assert set(covered) == set(LISTS)
    assert list_routes - unpaged <= set(covered.values()), f"pin query counts for {sorted(list_routes - set(covered.values()))}"
