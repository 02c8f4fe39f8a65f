from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Registrations"

    def ready(self) -> None:
        # Declare this app's error codes, and add registration figures to GET /events/{id}/stats.
        from events.stats import register_provider
        from registrations import errors  # noqa: F401
        from registrations.stats import STATS_FIELDS, registration_stats

        register_provider(registration_stats, STATS_FIELDS)

        # What partners copy with the change feed (core.changes, GET /api/v1/changes). Registrations and
        # check-ins inserted by the hot paths' own statements add their change rows themselves.
        from accounts.roles import Perm
        from core import changes
        from registrations.models import CheckIn, Registration, TicketType

        changes.track(TicketType, resource="ticket-types", permission=Perm.EVENTS_VIEW)
        changes.track(Registration, resource="registrations", permission=Perm.REGISTRATIONS_VIEW)
        changes.track(CheckIn, resource="checkins", permission=Perm.REGISTRATIONS_VIEW)
