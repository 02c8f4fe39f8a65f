from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        # Declare this app's error codes, and dispatch outbox rows once their transaction commits.
        from django.db.models.signals import post_delete, post_save

        from core import outbox
        from integrations import errors, sftp  # noqa: F401  (sftp registers the SFTP connector)
        from integrations.dispatch import on_outbox_published, on_subscription_changed
        from integrations.models import WebhookSubscription

        outbox.published.connect(on_outbox_published, dispatch_uid="integrations.webhooks")
        # Calendars: the Google and Graph adapters register their vendors; outbox rows bring calendars in step.
        from connectors.models import Connection
        from integrations.calendars import google, graph, sync  # noqa: F401

        # The per-organization flag of who listens to the outbox (integrations.selectors.outbox_listeners) follows
        # every change of a subscription or a calendar connection.
        for model in (WebhookSubscription, Connection):
            post_save.connect(on_subscription_changed, sender=model, dispatch_uid=f"integrations.flag.saved.{model.__name__}")
            post_delete.connect(on_subscription_changed, sender=model, dispatch_uid=f"integrations.flag.deleted.{model.__name__}")
