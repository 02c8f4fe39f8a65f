from rest_framework.routers import SimpleRouter

from api.viewsets import UUID_LOOKUP
from communications import api_views

router = SimpleRouter(trailing_slash=False)
router.register("email-templates", api_views.EmailTemplateViewSet, basename="email-template")
router.register(
    rf"events/(?P<event_pk>{UUID_LOOKUP})/email-analytics", api_views.EmailAnalyticsViewSet, basename="event-email-analytics"
)

urlpatterns = [*router.urls]
