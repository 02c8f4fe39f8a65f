from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        # The SendGrid adapter registers its vendor and its connector operation; outbox rows trigger messages.
        from communications import errors, sendgrid  # noqa: F401
        from communications.receivers import on_outbox_published
        from core import outbox

        outbox.published.connect(on_outbox_published, dispatch_uid="communications.messages")
