"""An import sends each new registrant the confirmation a registration through the API sends: once each, through the
organization's SendGrid connection (the fake), none for the rows that failed."""

from __future__ import annotations

from typing import Any

import pytest

from communications.models import MessageType
from core.audit import SYSTEM
from registrations import imports
from tests.communications.test_messages import recipients, sent_of
from tests.fakes.sendgrid import SendGridFake
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db

CSV = b"name,email,ticket type\nAda,ada@example.com,Free\nBob,bob@example.com,Free\nCy,cy@example.com,Nope\n"


def test_each_imported_registrant_gets_one_confirmation(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connect_sendgrid()
    event = PublishedEventFactory(organization=org, title="Import Day")
    TicketTypeFactory(event=event, name="Free")
    job = imports.import_upload(actor=SYSTEM, organization=org, event=event, kind="registrations", file_name="a.csv", content=CSV)
    assert sent_of(sendgrid, MessageType.REGISTRATION_CONFIRMATION) == []  # the dry run sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_start(actor=SYSTEM, job=job, skip_invalid=True)  # the worker runs it (eager)
    job.refresh_from_db()
    assert job.outcomes == {"confirmed": 2, "skipped": 1}
    confirmations = sent_of(sendgrid, MessageType.REGISTRATION_CONFIRMATION)
    assert recipients(confirmations) == ["ada@example.com", "bob@example.com"]
    assert all(c["subject"] == "You're registered: Import Day" for c in confirmations)
