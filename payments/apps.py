from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        # Declare this app's error codes, and add revenue figures to GET /events/{id}/stats.
        from events.stats import register_provider

        # Each gateway adapter registers its connector vendor and gateway (PayPal also its capture job) when imported.
        from payments import (
            errors,  # noqa: F401
            paypal,  # noqa: F401
            services,  # noqa: F401  (registers the gateway refund job)
        )
        from payments.providers import stripe  # noqa: F401
        from payments.stats import STATS_FIELDS, revenue_stats

        register_provider(revenue_stats, STATS_FIELDS)

        # What partners copy with the change feed (core.changes, GET /api/v1/changes).
        from accounts.roles import Perm
        from core import changes
        from payments.models import Invoice, Payment

        changes.track(Payment, resource="payments", permission=Perm.PAYMENTS_VIEW)
        changes.track(Invoice, resource="invoices", permission=Perm.PAYMENTS_VIEW)
