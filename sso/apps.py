from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        # Declare this app's error codes.
        from sso import errors  # noqa: F401
