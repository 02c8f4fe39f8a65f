import atexit

from django.apps import AppConfig
from django.core.signals import request_finished


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Register the OpenAPI extensions of the API's authentication classes.
        from api import metering, schema  # noqa: F401

        # Request metering writes its counts after a response has gone out, and once more at exit.
        request_finished.connect(metering.flush_if_due, dispatch_uid="api.metering.flush_if_due")
        atexit.register(metering.flush_at_exit)
