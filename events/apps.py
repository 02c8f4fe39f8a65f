from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # Declare this app's error codes in the registry at start-up.
        # What partners copy with the change feed (core.changes, GET /api/v1/changes).
        from accounts.roles import Perm
        from core import changes
        from events import errors  # noqa: F401
        from events.models import Event, Session, SessionMaterial, Speaker, Venue

        for model, resource in ((Venue, "venues"), (Event, "events"), (Session, "sessions"), (Speaker, "speakers")):
            changes.track(model, resource=resource, permission=Perm.EVENTS_VIEW)
        changes.track(SessionMaterial, resource="session-materials", permission=Perm.EVENTS_VIEW)
