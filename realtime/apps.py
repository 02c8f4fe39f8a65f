from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Real-time stream"

    def ready(self) -> None:
        # Committed outbox rows and webhook delivery changes go to the stream's clients (realtime.publish).
        from core import outbox
        from integrations import signals
        from realtime import publish

        outbox.published.connect(publish.on_outbox_published, dispatch_uid="realtime.outbox")
        signals.deliveries_changed.connect(publish.on_deliveries_changed, dispatch_uid="realtime.deliveries")
