from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        # Declare this app's error codes, and add revenue figures to GET /events/{id}/stats.
        from events.stats import register_provider

        # The PayPal adapter registers its connector, gateway and capture job when imported.
        from payments import errors, paypal  # noqa: F401
        from payments.stats import STATS_FIELDS, revenue_stats

        register_provider(revenue_stats, STATS_FIELDS)
