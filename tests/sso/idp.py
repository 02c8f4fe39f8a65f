"""A SAML 2.0 identity provider in the test process: pysaml2 (signing with Debian's xmlsec1, RSA-SHA256).

It reads the platform's SP metadata as the real IdPs do, answers AuthnRequests with signed assertions,
starts and answers single logout, and can make the broken answers an attacker would send.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from saml2 import BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD, AuthnBroker, authn_context_class_ref
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.sigver import security_context
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
ENTITY_ID = "https://idp.partner.example/saml/metadata"
SSO_URL = "https://idp.partner.example/saml/sso"
SLO_URL = "https://idp.partner.example/saml/slo"
NS = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion", "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}


class TestIdP:
    def __init__(self, directory: Path, sp_metadata: str | list[str], keys: tuple[str, str], entity_id: str = ENTITY_ID) -> None:
        self.certificate = keys[0]
        config = idp_config(directory, keys, entity_id=entity_id, sp_metadata=sp_metadata)
        self.server = Server(config=config)
        self.authn = AuthnBroker()
        self.authn.add(authn_context_class_ref(PASSWORD), "")

    # -- answers ----------------------------------------------------------------------------
    def authn_request(self, redirect_url: str) -> Any:
        """The AuthnRequest in the platform's redirect (its signature checked against the SP metadata)."""
        query = parse_qs(urlsplit(redirect_url).query)
        parsed = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        return parsed.message

    def response(
        self,
        *,
        sp_entity_id: str,
        acs_url: str,
        email: str,
        attributes: dict[str, list[str]] | None = None,
        in_response_to: str | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
    ) -> str:
        """A SAMLResponse (XML) for ``email``, its assertion signed (RSA-SHA256) unless told otherwise."""
        identity = {"email": [email], **(attributes or {})}
        kwargs: dict[str, Any] = {}
        response = self.server.create_authn_response(
            identity,
            in_response_to=in_response_to,
            destination=acs_url,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn=self.authn.get_authn_by_accr(PASSWORD),
            sign_assertion=sign_assertion,
            sign_response=sign_response,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **kwargs,
        )
        return str(response)

    def sign_logout_request(self, *, sls_url: str, name_id: str, session_index: str | None = None) -> str:
        """An IdP-initiated LogoutRequest for the platform's SLS, signed (HTTP-Redirect): the URL to open."""
        _request_id, request = self.server.create_logout_request(
            destination=sls_url,
            issuer_entity_id=self.server.config.entityid,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=name_id),
            session_indexes=[session_index] if session_index else None,
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), destination=sls_url, relay_state="", sigalg=SIG_RSA_SHA256, sign=True
        )
        return dict(info["headers"])["Location"]

    def logout_response_to(self, redirect_url: str, sls_url: str) -> str:
        """The IdP's signed LogoutResponse to the platform's LogoutRequest (HTTP-Redirect): the URL to open."""
        query = parse_qs(urlsplit(redirect_url).query)
        request = self.server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        response = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT], sign=False)
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination=sls_url,
            relay_state="",
            sigalg=SIG_RSA_SHA256,
            sign=True,
            response=True,
        )
        return dict(info["headers"])["Location"]


def idp_config(
    directory: Path, keys: tuple[str, str], *, entity_id: str = ENTITY_ID, sp_metadata: str | list[str] | None = None
) -> IdPConfig:
    """pysaml2's configuration of the IdP: its endpoints, its key pair (written to ``directory``), RSA-SHA256, and the
    service providers it knows (their metadata), if any."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "idp.crt").write_text(keys[0])
    (directory / "idp.key").write_text(keys[1])
    settings: dict[str, Any] = {
        "entityid": entity_id,
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(SLO_URL, BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
            }
        },
        "key_file": str(directory / "idp.key"),
        "cert_file": str(directory / "idp.crt"),
        "xmlsec_binary": XMLSEC,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
    }
    if sp_metadata:
        settings["metadata"] = {"inline": [sp_metadata] if isinstance(sp_metadata, str) else sp_metadata}
    config = IdPConfig()
    config.load(settings)
    return config


def idp_metadata(certificate: str, key: str, directory: Path, *, sign: bool = False, valid_until: str | None = None) -> str:
    """The metadata document a SAML IdP publishes (pysaml2 writes it as Okta or Entra ID would), signed with the IdP's
    key (RSA-SHA256) when asked, with a ``validUntil`` when given."""
    config = idp_config(directory, (certificate, key))
    descriptor = entity_descriptor(config)
    if valid_until:
        descriptor.valid_until = valid_until
    if not sign:
        return str(descriptor)
    _signed, xml = sign_entity_descriptor(descriptor, None, security_context(config), SIG_RSA_SHA256, DIGEST_SHA256)
    return str(xml)


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def wrap_signature(xml: str, evil_email: str) -> str:
    """Signature wrapping: the signed assertion is kept (moved aside), and an unsigned copy naming someone else is put
    first, where a careless SP reads it."""
    root = etree.fromstring(xml.encode())
    signed = root.find("saml:Assertion", NS)
    assert signed is not None
    evil = etree.fromstring(etree.tostring(signed))
    for sig in evil.findall("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        evil.remove(sig)
    evil.set("ID", "_" + uuid.uuid4().hex)
    for node in evil.iter(
        "{urn:oasis:names:tc:SAML:2.0:assertion}NameID", "{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"
    ):
        if node.text and "@" in node.text:
            node.text = evil_email
    signed.addprevious(evil)
    return etree.tostring(root).decode()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
