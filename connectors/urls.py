from django.urls import path
from rest_framework.routers import SimpleRouter

from connectors import views

router = SimpleRouter(trailing_slash=False)
router.register("connections", views.ConnectionViewSet, basename="connection")

urlpatterns = [*router.urls]

# Outside /api/v1/: vendors post here, with their own signatures instead of the platform's credentials.
inbound_urls = [
    path("hooks/<uuid:connection_id>", views.inbound, name="connector-inbound"),
    path("hooks/<uuid:connection_id>/<slug:channel>", views.inbound, name="connector-inbound-channel"),
]
