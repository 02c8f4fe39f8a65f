from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # Declare this app's error codes in the registry at start-up.
        from events import errors  # noqa: F401
