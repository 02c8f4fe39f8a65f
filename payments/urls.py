from django.urls import path
from rest_framework.routers import SimpleRouter

from payments import views

router = SimpleRouter(trailing_slash=False)
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("subscriptions", views.SubscriptionViewSet, basename="subscription")

urlpatterns = [
    *router.urls,
    path("reports/revenue", views.RevenueReportViewSet.as_view({"get": "report"}), name="revenue-report"),
]
