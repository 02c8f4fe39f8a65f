from rest_framework.routers import SimpleRouter

from api.viewsets import UUID_LOOKUP
from events import views

router = SimpleRouter(trailing_slash=False)
router.register("venues", views.VenueViewSet, basename="venue")
router.register("events", views.EventViewSet, basename="event")
router.register(rf"events/(?P<event_pk>{UUID_LOOKUP})/sessions", views.SessionViewSet, basename="event-session")
router.register(rf"events/(?P<event_pk>{UUID_LOOKUP})/speakers", views.SpeakerViewSet, basename="event-speaker")
router.register(
    rf"events/(?P<event_pk>{UUID_LOOKUP})/sessions/(?P<session_pk>{UUID_LOOKUP})/materials",
    views.MaterialViewSet,
    basename="session-material",
)

urlpatterns = router.urls
