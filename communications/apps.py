from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        # The SendGrid adapter registers its vendor and its connector operation.
        from communications import sendgrid  # noqa: F401
