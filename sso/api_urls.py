from django.urls import path
from rest_framework.routers import SimpleRouter

from sso import views

router = SimpleRouter(trailing_slash=False)
router.register("identity-providers", views.IdentityProviderViewSet, basename="identity-provider")
router.register("email-domains", views.EmailDomainViewSet, basename="email-domain")
router.register("scim-tokens", views.ScimTokenViewSet, basename="scim-token")

urlpatterns = [
    *router.urls,
    path(
        "sso-enforcement",
        views.SsoEnforcementViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="sso-enforcement",
    ),
]
