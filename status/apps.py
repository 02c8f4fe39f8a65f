from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "status"
    verbose_name = "Status page"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from status import errors  # noqa: F401  (declares the app's error codes)
