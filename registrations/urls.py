from django.urls import path
from rest_framework.routers import SimpleRouter

from api.viewsets import UUID_LOOKUP
from registrations import views

router = SimpleRouter(trailing_slash=False)
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("checkins", views.CheckInViewSet, basename="checkin")
router.register("imports", views.ImportViewSet, basename="import")
router.register(rf"events/(?P<event_pk>{UUID_LOOKUP})/ticket-types", views.TicketTypeViewSet, basename="event-ticket-type")
router.register(rf"events/(?P<event_pk>{UUID_LOOKUP})/attendees", views.AttendeeViewSet, basename="event-attendee")

urlpatterns = [
    *router.urls,
    # A JSON Web Key Set is one document, not a paged list.
    path("ticket-keys", views.TicketKeyViewSet.as_view({"get": "keys"}), name="ticket-keys"),
    path("ticket-keys/rotate", views.TicketKeyViewSet.as_view({"post": "rotate"}), name="ticket-keys-rotate"),
    path(
        "document-branding",
        views.DocumentBrandingViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="document-branding",
    ),
    path(
        "events/<uuid:event_pk>/registration-settings",
        views.RegistrationSettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="event-registration-settings",
    ),
    path(
        "events/<uuid:event_pk>/sessions/<uuid:session_pk>/feedback",
        views.SessionFeedbackViewSet.as_view({"get": "retrieve", "post": "create"}),
        name="session-feedback",
    ),
]
