from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations import views

router = SimpleRouter(trailing_slash=False)
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("exports", views.ExportViewSet, basename="export")
router.register("export-schedules", views.ExportScheduleViewSet, basename="export-schedule")
router.register("calendar-feeds", views.CalendarFeedViewSet, basename="calendar-feed")

urlpatterns = [
    *router.urls,
    path("webhook-event-types", views.WebhookCatalogViewSet.as_view({"get": "event_types"}), name="webhook-event-types"),
    path("webhook-source-ips", views.WebhookCatalogViewSet.as_view({"get": "source_ips"}), name="webhook-source-ips"),
]

# Outside /api/v1/: calendar apps poll these (the attendee's by its secret address, the organization's in public).
calendar_urls = [
    path("calendar/feeds/<str:token>.ics", views.calendar_feed, name="calendar-feed-ics"),
    path("calendar/organizations/<slug:slug>.ics", views.organization_feed, name="calendar-organization-ics"),
]
