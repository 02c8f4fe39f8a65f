import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry
from events.models import EventStatus
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_complete_events_completes_only_published_events_that_have_ended(org, capsys):
    past = timezone.now() - dt.timedelta(days=2)
    ended = EventFactory(organization=org, status=EventStatus.PUBLISHED, starts_at=past)
    running = EventFactory(organization=org, status=EventStatus.PUBLISHED, starts_at=timezone.now() - dt.timedelta(hours=1))
    draft = EventFactory(organization=org, status=EventStatus.DRAFT, starts_at=past)

    call_command("complete_events")

    assert "Completed 1 event(s)." in capsys.readouterr().out
    for event in (ended, running, draft):
        event.refresh_from_db()
    assert ended.status == EventStatus.COMPLETED and ended.completed_at is not None
    assert running.status == EventStatus.PUBLISHED
    assert draft.status == EventStatus.DRAFT
    entry = AuditEntry.objects.get(action="event.completed")
    assert entry.object_id == str(ended.id) and entry.actor_label == "system"
