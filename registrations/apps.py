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
