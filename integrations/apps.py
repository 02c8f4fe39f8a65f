from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        # Declare this app's error codes, and dispatch outbox rows once their transaction commits.
        from core import outbox
        from integrations import errors  # noqa: F401
        from integrations.dispatch import on_outbox_published

        outbox.published.connect(on_outbox_published, dispatch_uid="integrations.webhooks")
