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
        from integrations.calendars import google, graph, sync  # noqa: F401
        from integrations.calendars.receivers import on_outbox_published as on_calendar_outbox

        outbox.published.connect(on_calendar_outbox, dispatch_uid="integrations.calendars")
        # The per-organization flag of enabled subscriptions (integrations.selectors) follows every change of one.
        post_save.connect(on_subscription_changed, sender=WebhookSubscription, dispatch_uid="integrations.flag.saved")
        post_delete.connect(on_subscription_changed, sender=WebhookSubscription, dispatch_uid="integrations.flag.deleted")
