from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Register the OpenAPI extensions of the API's authentication classes.
        from api import schema  # noqa: F401
