"""The platform as a SAML 2.0 service provider, through python3-saml (ADR 0021).

Each identity provider has its own SP: entity id, ACS and SLS under ``/sso/saml/<provider id>/``, and its own
key pairs. Responses are checked in strict mode: a signed assertion is required (a signed response around an
unsigned assertion is not enough), audience, recipient, destination, ``NotBefore``/``NotOnOrAfter`` within
``CLOCK_SKEW_SECONDS``, ``InResponseTo`` naming an AuthnRequest the platform sent and has not seen answered,
and the assertion's id not accepted before (``services.assertion_accept_once``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.metadata import OneLogin_Saml2_Metadata
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from core import secrets as core_secrets
from sso import services
from sso.keys import pem_body
from sso.models import IdentityProvider, SpKey, SpKeyState

# NotBefore / NotOnOrAfter / SubjectConfirmationData tolerate this much clock difference (python3-saml's default is
# five minutes; two is what well-run IdPs need).
CLOCK_SKEW_SECONDS = 120
OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT = CLOCK_SKEW_SECONDS

NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


def sp_urls(provider: IdentityProvider) -> dict[str, str]:
    base = settings.SITE_URL
    return {
        "entity_id": base + reverse("sso:saml-metadata", args=[provider.pk]),
        "acs": base + reverse("sso:saml-acs", args=[provider.pk]),
        "sls": base + reverse("sso:saml-sls", args=[provider.pk]),
        "login": base + reverse("sso:saml-login", args=[provider.pk]),
    }


def published_keys(provider: IdentityProvider) -> list[SpKey]:
    """The active key first, then previous ones still in their grace (newest first)."""
    keys = [k for k in provider.sp_keys.all() if k.state != SpKeyState.RETIRED]
    return sorted(keys, key=lambda k: (k.state != SpKeyState.ACTIVE, -k.created_at.timestamp()))


def settings_for(provider: IdentityProvider, key: SpKey | None = None) -> dict[str, Any]:
    """python3-saml's settings for ``provider``, signing and decrypting with ``key`` (the active one by default)."""
    keys = published_keys(provider)
    key = key or (keys[0] if keys else None)
    urls = sp_urls(provider)
    sp: dict[str, Any] = {
        "entityId": urls["entity_id"],
        "assertionConsumerService": {"url": urls["acs"], "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST},
        "singleLogoutService": {"url": urls["sls"], "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT},
        "NameIDFormat": NAMEID_EMAIL,
    }
    if key is not None:
        sp["x509cert"] = pem_body(key.certificate)
        sp["privateKey"] = core_secrets.decrypt(key.private_key)
        others = [k for k in keys if k.pk != key.pk]
        if others:  # published beside it while the IdP moves over (metadata carries two certificates)
            sp["x509certNew"] = pem_body(others[0].certificate)
    idp: dict[str, Any] = {
        "entityId": provider.idp_entity_id,
        "singleSignOnService": {"url": provider.sso_url, "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT},
        "x509certMulti": {"signing": [pem_body(c) for c in provider.signing_certificates], "encryption": []},
    }
    if provider.slo_url:
        idp["singleLogoutService"] = {"url": provider.slo_url, "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT}
    return {
        "strict": True,
        "debug": False,
        "sp": sp,
        "idp": idp,
        "security": {
            "authnRequestsSigned": key is not None,
            "logoutRequestSigned": key is not None,
            "logoutResponseSigned": key is not None,
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantAssertionsEncrypted": False,
            "signMetadata": False,
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
            "allowRepeatAttributeName": True,
        },
    }


def metadata_xml(provider: IdentityProvider) -> str:
    """The SP metadata: entity id, ACS, SLS, and each published certificate for signing and for encryption (the active
    one first), so an IdP may encrypt assertions without the platform requiring it."""
    config = OneLogin_Saml2_Settings(settings_for(provider), sp_validation_only=True)
    security = config.get_security_data()
    metadata = OneLogin_Saml2_Metadata.builder(
        config.get_sp_data(), security["authnRequestsSigned"], security["wantAssertionsSigned"]
    )
    for cert in (config.get_sp_cert_new(), config.get_sp_cert()):  # each one goes first: the active one ends first
        metadata = OneLogin_Saml2_Metadata.add_x509_key_descriptors(metadata, cert, add_encryption=True)
    return metadata.decode() if isinstance(metadata, bytes) else str(metadata)


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The request as python3-saml reads it (its destination check compares the URL it was posted to)."""
    return {
        "https": "on" if request.is_secure() else "off",
        "http_host": request.get_host(),
        "server_port": request.get_port(),
        "script_name": request.path,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
        "query_string": request.META.get("QUERY_STRING", ""),
    }


def auth_for(provider: IdentityProvider, request: HttpRequest) -> OneLogin_Saml2_Auth:
    return OneLogin_Saml2_Auth(request_data(request), old_settings=settings_for(provider))


@dataclass(frozen=True, kw_only=True)
class Accepted:
    identity: services.Identity
    name_id: str
    name_id_format: str
    session_index: str
    next_url: str


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _first(attributes: dict[str, list[str]], name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]) if values and name else ""


def accept_response(provider: IdentityProvider, request: HttpRequest) -> Accepted:
    """Check the posted SAMLResponse and return who signed in; raises Refused with the reason.

    Encrypted assertions are decrypted with each published key in turn, so an IdP that still encrypts to the
    previous certificate keeps working through a rotation.
    """
    encoded = request.POST.get("SAMLResponse", "")
    if not encoded:
        raise Refused("no SAMLResponse")
    data = request_data(request)
    response: OneLogin_Saml2_Response | None = None
    error = "no key of the platform could read the response"
    candidates: list[SpKey | None] = [*published_keys(provider)] or [None]
    for key in candidates:
        try:
            response = OneLogin_Saml2_Response(OneLogin_Saml2_Settings(settings_for(provider, key)), encoded)
            break
        except Exception as exc:  # a malformed document, or an assertion encrypted to another key
            error = f"unreadable response: {exc}"
            response = None
    if response is None:
        raise Refused(error)
    in_response_to = response.get_in_response_to()
    next_url = ""
    request_id = None
    if in_response_to:
        sent = services.saml_request_take(provider=provider, request_id=in_response_to)
        if sent is None:
            raise Refused("InResponseTo names no pending request of this provider")
        request_id, next_url = sent.request_id, sent.next_url
    elif not provider.allow_idp_initiated:
        raise Refused("unsolicited response and IdP-initiated sign-in is off")
    if not response.is_valid(data, request_id):
        raise Refused(str(response.get_error()))
    assertion_id = response.get_assertion_id()
    expires = response.get_assertion_not_on_or_after()
    not_after = dt.datetime.fromtimestamp(expires, dt.UTC) if expires else None
    if not assertion_id or not services.assertion_accept_once(
        provider=provider, assertion_id=str(assertion_id), not_on_or_after=not_after
    ):
        raise Refused("assertion replayed")
    # By Name or by FriendlyName (IdPs send either: Okta `email`, others `urn:oid:...` with FriendlyName `email`).
    attributes = {**response.get_friendlyname_attributes(), **response.get_attributes()}
    name_id = str(response.get_nameid() or "")
    email = _first(attributes, provider.email_attribute) or (name_id if "@" in name_id else "")
    groups = tuple(str(g) for g in attributes.get(provider.groups_attribute, []) or []) if provider.groups_attribute else ()
    identity = services.Identity(
        email=email,
        first_name=_first(attributes, provider.first_name_attribute),
        last_name=_first(attributes, provider.last_name_attribute),
        groups=groups,
    )
    return Accepted(
        identity=identity,
        name_id=name_id,
        name_id_format=str(response.get_nameid_format() or ""),
        session_index=str(response.get_session_index() or ""),
        next_url=next_url,
    )
