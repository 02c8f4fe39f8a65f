import datetime as dt

import pytest
from django.db import connection

from events.models import Event
from tests.factories import EventFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_timestamps_load_through_the_c_loader_with_the_same_values(org):
    starts = dt.datetime(2031, 3, 30, 1, 30, 15, 123456, tzinfo=dt.UTC)
    event = EventFactory(organization=org, starts_at=starts)

    loaded = Event.objects.get(pk=event.pk)

    assert loaded.starts_at == starts
    assert loaded.starts_at.tzinfo is dt.UTC
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text format
    assert loader.__name__ == "UtcTimestamptzLoader"
    with connection.cursor() as cursor:  # Django's per-cursor time zone check keeps our loader
        cursor.execute("SELECT %s::timestamptz", [starts])
        assert cursor.fetchone()[0] == starts
