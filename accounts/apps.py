from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organizations and users"

    def ready(self) -> None:
        # Declare this app's error codes in the registry at start-up.
        from accounts import errors  # noqa: F401
