"""The authorization server under /o/, in django-oauth-toolkit's URL namespace (its views reverse these names).

The device flow, dynamic client registration, RP-initiated logout and the
toolkit's own application management pages are not mounted: applications are
registered in the console.
"""

from django.urls import path, re_path
from oauth2_provider import views as dot_views

from accounts.oauth import views
from accounts.signin import SignInRedirectView

app_name = "oauth2_provider"

urlpatterns = [
    path("login/", SignInRedirectView.as_view(default_next="/api/docs/"), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("authorize/", views.ConsentView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectView.as_view(), name="introspect"),
    path("userinfo/", dot_views.UserInfoView.as_view(), name="user-info"),
    path(".well-known/jwks.json", dot_views.JwksInfoView.as_view(), name="jwks-info"),
    re_path(r"^\.well-known/openid-configuration/?$", views.DiscoveryView.as_view(), name="oidc-connect-discovery-info"),
    path(".well-known/oauth-authorization-server", dot_views.OAuthServerMetadataView.as_view(), name="oauth-server-metadata"),
]

# At the origin's root (config/urls.py): RFC 8414 section 3 for the issuer ``<origin>/o`` (the path-component
# form and the plain one), and OpenID discovery where clients that drop the issuer's path look for it.
well_known = [
    path(".well-known/openid-configuration", views.DiscoveryView.as_view(), name="openid-configuration"),
    path(
        ".well-known/oauth-authorization-server", dot_views.OAuthServerMetadataView.as_view(), name="oauth-authorization-server"
    ),
    path(
        ".well-known/oauth-authorization-server/o",
        dot_views.OAuthServerMetadataView.as_view(),
        name="oauth-authorization-server-o",
    ),
]
