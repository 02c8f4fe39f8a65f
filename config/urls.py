"""Root URLs: the platform superusers' model admin, the organizer console, the REST API v1, its schema, docs and error reference, the OAuth 2.0 server."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from rest_framework.permissions import AllowAny

from accounts.oauth.urls import well_known
from accounts.signin import SignInRedirectView
from api import views as api_views
from api.changes import ChangeViewSet
from connectors.urls import inbound_urls
from core import health, metrics
from integrations.urls import calendar_urls
from integrations.views import export_download
from payments.pages import checkout_page
from payments.paypal_views import urlpatterns as paypal_pages
from realtime.views import StreamView
from registrations.views import import_result_download

api_v1 = [
    path("", api_views.IndexView.as_view(), name="api-index"),
    path("ping", api_views.PingView.as_view(), name="ping"),
    # The change feed for incremental sync (core.changes, spec §10.3).
    path("changes", ChangeViewSet.as_view({"get": "feed"}), name="change-list"),
    # The real-time stream as Server-Sent Events; its WebSocket form is on the same path (config/asgi.py, realtime/).
    path("stream", StreamView.as_view(), name="stream"),
    # The busiest resources first (Django tries the patterns in order; no two apps share a path).
    path("", include("events.urls")),
    path("", include("registrations.urls")),
    path("", include("accounts.urls")),
    path("", include("sso.api_urls")),
    path("", include("payments.urls")),
    path("", include("integrations.urls")),
    path("", include("connectors.urls")),
    path("", include("communications.api_urls")),
]

urlpatterns = [
    # The API first: most requests are its, and Django tries the patterns in order (no other prefix is api/v1).
    path("api/v1/", include(api_v1)),
    # The index answers without the slash too: the document names it /api/v1 (a path has no trailing slash there).
    path("api/v1", api_views.IndexView.as_view(), name="api-index-bare"),
    # Health checks for a load balancer and the supervisor (docs/operations.md).
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    # The model admin (platform superusers, core.admin_site) signs in through the platform's one sign-in
    # (accounts.signin) and changes passwords there too.
    path("admin/login/", SignInRedirectView.as_view(default_next="/admin/"), name="console-login"),
    path("admin/password_change/", RedirectView.as_view(pattern_name="account_change_password"), name="console-password"),
    path("admin/", admin.site.urls),
    path("console/", include("console.urls")),
    # The developer portal's accounts (django-allauth): sign-up, verification, sign-in, reset, two-factor.
    path("portal/accounts/", include("allauth.urls")),
    path("portal/", include("portal.urls")),
    # Single sign-on: "Sign in with SSO", the SAML service provider (ADR 0021).
    path("sso/", include("sso.urls")),
    # SCIM 2.0 provisioning, one organization per bearer token (RFC 7644).
    path("scim/v2/", include("sso.scim_urls")),
    path("status/", include("status.urls")),
    path("email/", include("communications.urls")),
    path("o/", include("accounts.oauth.urls")),
    *inbound_urls,
    *calendar_urls,
    # Where PayPal sends the buyer back (return: capture; cancel).
    *paypal_pages,
    # The hosted checkout page of a gateway payment (a signed link for the attendee).
    path("pay/<str:token>", checkout_page, name="payment-checkout-page"),
    *well_known,
    path("api/schema/", api_views.SchemaView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("api/docs/", api_views.SwaggerView.as_view(url_name="schema", permission_classes=[AllowAny]), name="swagger-ui"),
    path("api/errors/", api_views.error_index, name="api-errors"),
    path("api/errors/<str:code>", api_views.error_detail, name="api-error-detail"),
    # A finished export's file, for the holder of its signed, expiring link (integrations.exports).
    path("downloads/exports/<str:token>", export_download, name="export-download"),
    # An import's result file, for the holder of its signed, expiring link (registrations.imports).
    path("downloads/imports/<str:token>", import_result_download, name="import-result-download"),
    # Browsers ask for /favicon.ico on pages that name no icon (the console, the error reference).
    path("favicon.ico", RedirectView.as_view(url=static("portal/favicon.svg"), permanent=True)),
]
