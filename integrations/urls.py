from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations import views

router = SimpleRouter(trailing_slash=False)
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("exports", views.ExportViewSet, basename="export")
router.register("export-schedules", views.ExportScheduleViewSet, basename="export-schedule")

urlpatterns = [
    *router.urls,
    path("webhook-event-types", views.WebhookCatalogViewSet.as_view({"get": "event_types"}), name="webhook-event-types"),
    path("webhook-source-ips", views.WebhookCatalogViewSet.as_view({"get": "source_ips"}), name="webhook-source-ips"),
]
