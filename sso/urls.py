"""Single sign-on in the browser, mounted at /sso/ (the API's identity providers are in sso.api_urls)."""

from django.urls import path

from sso import web

app_name = "sso"

urlpatterns = [
    path("", web.discover, name="discover"),
    path("sign-out/", web.sign_out, name="sign-out"),
    path("sign-out/continue/", web.sign_out_continue, name="sign-out-continue"),
    path("saml/<uuid:provider_id>/metadata/", web.saml_metadata, name="saml-metadata"),
    path("saml/<uuid:provider_id>/login/", web.saml_login, name="saml-login"),
    path("saml/<uuid:provider_id>/acs/", web.saml_acs, name="saml-acs"),
    path("saml/<uuid:provider_id>/sls/", web.saml_sls, name="saml-sls"),
    path("oidc/<uuid:provider_id>/login/", web.oidc_login, name="oidc-login"),
    path("oidc/<uuid:provider_id>/callback/", web.oidc_callback, name="oidc-callback"),
    path("oidc/<uuid:provider_id>/signed-out/", web.oidc_signed_out, name="oidc-signed-out"),
]
