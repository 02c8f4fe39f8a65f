from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        # Declare this app's error codes, and add revenue figures to GET /events/{id}/stats.
        from events.stats import register_provider
        from payments import errors  # noqa: F401
        from payments import paypal  # noqa: F401  (registers the PayPal connector and its capture job)
        from payments.stats import STATS_FIELDS, revenue_stats

        register_provider(revenue_stats, STATS_FIELDS)
