"""Signed tickets: the QR payload verifies offline with the published key, check-in accepts it, rotation keeps old
tickets valid until their event's check-in closes; ticket and certificate PDFs; document branding."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from accounts.roles import Role
from core.audit import SYSTEM
from core.models import AuditEntry
from registrations import services, tickets
from registrations.models import CheckIn, CheckInResult, DocumentBranding, Registration
from tests.conftest import error_of
from tests.factories import OrganizationFactory
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org: Any) -> Any:
    return DoorsOpenEventFactory(organization=org, capacity=100, title="Acme Summit")


@pytest.fixture
def ticket(event: Any) -> Registration:
    ticket_type = TicketTypeFactory(event=event, name="Standard")
    return RegistrationFactory(ticket_type=ticket_type, attendee_name="Ada Lovelace", attendee_email="ada@example.com")


@pytest.fixture
def door(api: Any, member: Any) -> Any:
    return api(member(Role.CHECKIN, email="door@acme.example"))


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def offline_verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """What a check-in device does without the platform: only the token, the published keys and a standard library."""
    prefix, kid, body, signature = token.split(".")
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    Ed25519PublicKey.from_public_bytes(unb64(key["x"])).verify(unb64(signature), f"{prefix}.{kid}.{body}".encode())
    return json.loads(unb64(body))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def scan(client: Any, event: Any, code: str) -> Any:
    return client.post("/api/v1/checkins", {"code": code, "eventId": str(event.id)}, format="json")


# -- signing --------------------------------------------------------------------------------------
def test_the_qr_payload_verifies_offline_and_a_tampered_one_does_not(client_owner, ticket, event):
    body = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket").json()
    token = body["qrPayload"]
    jwks = client_owner.get("/api/v1/ticket-keys").json()
    payload = offline_verify(token, jwks)
    assert payload["c"] == ticket.ticket_code and payload["e"] == str(event.pk)
    assert payload["x"] == int(event.check_in_closes_at.timestamp())
    prefix, kid, data, signature = token.split(".")
    forged = dict(payload, c="someone-elses-code")
    forged_body = base64.urlsafe_b64encode(json.dumps(forged, separators=(",", ":")).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        offline_verify(f"{prefix}.{kid}.{forged_body}.{signature}", jwks)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(InvalidSignature):
        offline_verify(f"{prefix}.{kid}.{data}.{flipped}", jwks)


def test_check_in_accepts_the_signed_payload_and_refuses_a_tampered_one(client_owner, door, ticket, event):
    token = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket").json()["qrPayload"]
    prefix, kid, data, signature = token.split(".")
    forged = f"{prefix}.{kid}.{data}.{signature[::-1]}"
    refused = scan(door, event, forged)
    assert refused.status_code == 409 and error_of(refused)["code"] == "TICKET_SIGNATURE_INVALID"
    assert error_of(refused)["details"] == {"reason": "BAD_SIGNATURE"}
    assert CheckIn.objects.get(result=CheckInResult.TICKET_SIGNATURE_INVALID).registration_id is None
    accepted = scan(door, event, token)
    assert accepted.status_code == 201, accepted.content
    assert CheckIn.objects.get(accepted=True).registration_id == ticket.pk
    again = scan(door, event, ticket.ticket_code)  # the plain code is the same ticket
    assert error_of(again)["code"] == "ALREADY_CHECKED_IN"


def test_bulk_check_in_takes_signed_and_plain_codes(client_owner, door, event):
    ticket_type = TicketTypeFactory(event=event, name="Standard")
    regs = [RegistrationFactory(ticket_type=ticket_type, attendee_email=f"p{i}@example.com") for i in range(3)]
    signed = [client_owner.get(f"/api/v1/registrations/{r.pk}/ticket").json()["qrPayload"] for r in regs[:2]]
    codes = [*signed, regs[2].ticket_code, "EPT1.tk_nope.e30.AAAA"]
    body = door.post("/api/v1/checkins/bulk", {"eventId": str(event.id), "codes": codes}, format="json").json()
    assert (body["checkedIn"], body["rejected"]) == (3, 1)
    assert body["results"][3]["error"]["code"] == "TICKET_SIGNATURE_INVALID"
    assert body["results"][3]["error"]["details"] == {"reason": "UNKNOWN_KEY"}


def test_another_organizations_key_does_not_verify(ticket, event):
    token = tickets.sign(Registration.objects.select_related("event__organization").get(pk=ticket.pk))
    with pytest.raises(tickets.InvalidTicket) as caught:
        tickets.verify(organization=OrganizationFactory(), token=token)
    assert caught.value.reason == "UNKNOWN_KEY"


def test_rotation_keeps_old_tickets_valid_until_their_event_is_over(org, owner, ticket, event):
    registration = Registration.objects.select_related("event__organization").get(pk=ticket.pk)
    old_token = tickets.sign(registration)
    old_kid = old_token.split(".")[1]
    now = timezone.now()
    new_key = services.ticket_key_rotate(actor=owner, organization=org, now=now)
    assert new_key.key_id != old_kid and tickets.sign(registration).split(".")[1] == new_key.key_id
    assert AuditEntry.objects.filter(action="ticket_key.rotated").count() == 1
    # Still valid while the event's check-in is open, and published so devices can check it.
    assert tickets.verify(organization=org, token=old_token, now=now + dt.timedelta(minutes=1)).code == ticket.ticket_code
    published = {k.key_id: k for k in tickets.published_keys(org, now=now)}
    assert set(published) == {old_kid, new_key.key_id}
    assert published[old_kid].valid_until >= event.check_in_closes_at
    # After the event: the old key vouches for nothing and is no longer published.
    after = event.check_in_closes_at + dt.timedelta(seconds=1)
    with pytest.raises(tickets.InvalidTicket) as caught:
        tickets.verify(organization=org, token=old_token, now=after)
    assert caught.value.reason == "EXPIRED"
    assert [k.key_id for k in tickets.published_keys(org, now=after)] == [new_key.key_id]


def test_a_retired_key_does_not_vouch_for_tickets_dated_after_its_retirement(org, owner, ticket):
    registration = Registration.objects.select_related("event__organization").get(pk=ticket.pk)
    old = tickets.current_key(org)
    services.ticket_key_rotate(actor=owner, organization=org, now=timezone.now() - dt.timedelta(days=30))
    registration.confirmed_at = timezone.now()  # issued after the old key was retired
    with pytest.raises(tickets.InvalidTicket) as caught:
        tickets.verify(organization=org, token=tickets.sign(registration, old))
    assert caught.value.reason == "KEY_RETIRED"


def test_the_key_endpoints(client_owner, api, member, org):
    jwks = client_owner.get("/api/v1/ticket-keys").json()
    assert [k["status"] for k in jwks["keys"]] == ["current"]
    rotated = client_owner.post("/api/v1/ticket-keys/rotate")
    assert rotated.status_code == 201
    assert sorted(k["status"] for k in rotated.json()["keys"]) == ["current"]  # no event running: nothing to keep
    door = api(member(Role.CHECKIN, email="door2@acme.example"))
    assert door.get("/api/v1/ticket-keys").status_code == 200
    assert door.post("/api/v1/ticket-keys/rotate").status_code == 403
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    assert stranger.get("/api/v1/ticket-keys").json()["keys"][0]["kid"] not in {k["kid"] for k in jwks["keys"]}


# -- documents -----------------------------------------------------------------------------------
def test_the_ticket_pdf_carries_the_signed_qr(client_owner, ticket, event):
    response = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Acme Summit", "Ada Lovelace", "Standard", ticket.ticket_code):
        assert expected in text, expected
    token = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket").json()["qrPayload"]
    assert tickets.qr_matrix(token)  # the same payload the PDF draws
    assert (
        response.content == client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket", HTTP_ACCEPT="application/pdf").content
    )


def test_the_qr_code_decodes_to_the_signed_payload(ticket):
    """The matrix drawn in the PDF is a QR symbol of the payload: rebuilt here from the modules and compared."""
    registration = Registration.objects.select_related("event__organization").get(pk=ticket.pk)
    token = tickets.sign(registration)
    matrix = tickets.qr_matrix(token)
    import qrcode

    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    expected.add_data(token)
    expected.make(fit=True)
    assert matrix == [list(r) for r in expected.get_matrix()] and len(matrix) >= 21 + 4


def test_one_file_per_order(client_owner, org, event):
    ticket_type = TicketTypeFactory(event=event, name="Standard")
    regs = services.registration_create(
        actor=SYSTEM,
        organization_id=org.pk,
        event_id=event.pk,
        ticket_type_id=ticket_type.pk,
        attendees=[{"name": "Ada", "email": "ada@example.com"}, {"name": "Bob", "email": "bob@example.com"}],  # type: ignore[list-item]
    )
    response = client_owner.get(f"/api/v1/registrations/{regs[0].pk}/order-tickets", HTTP_ACCEPT="application/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert "Ada" in reader.pages[0].extract_text() and "Bob" in reader.pages[1].extract_text()
    as_json = client_owner.get(f"/api/v1/registrations/{regs[0].pk}/order-tickets").json()
    assert [t["attendee"]["name"] for t in as_json] == ["Ada", "Bob"]


def test_a_certificate_once_checked_in(client_owner, door, ticket, event):
    url = f"/api/v1/registrations/{ticket.pk}/certificate"
    assert error_of(client_owner.get(url, HTTP_ACCEPT="application/pdf"))["code"] == "CERTIFICATE_NOT_AVAILABLE"
    assert scan(door, event, ticket.ticket_code).status_code == 201
    body = client_owner.get(url).json()
    assert body["attendee"]["name"] == "Ada Lovelace" and body["attendedAt"]
    response = client_owner.get(url, HTTP_ACCEPT="application/pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Certificate of attendance" in text and "Ada Lovelace" in text and "Acme Summit" in text


def test_documents_carry_the_organizations_branding(client_owner, org, ticket):
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(logo, format="PNG")
    DocumentBranding.objects.create(
        organization=org,
        primary_colour="#aa0000",
        accent_colour="#00aa00",
        footer="Acme Events GmbH, Berlin",
        logo=logo.getvalue(),
    )
    content = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket", HTTP_ACCEPT="application/pdf").content
    assert "Acme Events GmbH, Berlin" in pdf_text(content)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert list(page.images), "the logo is on the page"
    assert b"0.6667 0 0 rg" in page.get_contents().get_data()  # the header band in the primary colour (#aa0000)


def test_another_organizations_ticket_is_404(api, member, ticket):
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    for path in ("ticket", "certificate", "order-tickets"):
        response = stranger.get(f"/api/v1/registrations/{ticket.pk}/{path}", HTTP_ACCEPT="application/pdf")
        assert response.status_code == 404, path


def test_the_branding_api(client_owner, api, member, org, ticket):
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 0, 200)).save(logo, format="PNG")
    body = {
        "primaryColour": "#112233",
        "footer": "Acme Events GmbH",
        "logo": base64.b64encode(logo.getvalue()).decode(),
    }
    response = client_owner.patch("/api/v1/document-branding", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "primaryColour": "#112233",
        "accentColour": "#2563eb",
        "footer": "Acme Events GmbH",
        "logoType": "image/png",
        "logoBytes": len(logo.getvalue()),
    }
    assert AuditEntry.objects.filter(action="document_branding.updated").count() == 1
    content = client_owner.get(f"/api/v1/registrations/{ticket.pk}/ticket", HTTP_ACCEPT="application/pdf").content
    assert "Acme Events GmbH" in pdf_text(content)
    bad = client_owner.patch("/api/v1/document-branding", {"primaryColour": "red", "logo": "PHN2Zz4="}, format="json")
    assert bad.status_code == 400 and {d["target"] for d in error_of(bad)["details"]} == {"primaryColour", "logo"}
    removed = client_owner.patch("/api/v1/document-branding", {"logo": None}, format="json").json()
    assert removed["logoBytes"] == 0 and removed["logoType"] is None
    door = api(member(Role.CHECKIN, email="door3@acme.example"))
    assert door.patch("/api/v1/document-branding", {"footer": "x"}, format="json").status_code == 403
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    assert stranger.get("/api/v1/document-branding").json()["footer"] == ""
