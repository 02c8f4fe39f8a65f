"""Signed tickets and the documents of a registration: the ticket PDF with its QR code, the certificate of attendance.

A ticket's QR code carries ``EPT1.<keyId>.<payload>.<signature>``: the payload
(base64url JSON: ``c`` the ticket code, ``e`` the event id, ``i`` when the ticket
was issued, ``x`` when the event's check-in closes, both Unix seconds) signed
with the organization's Ed25519 key over ``EPT1.<keyId>.<payload>``. A check-in
device verifies it offline with the public keys the organization publishes
(``GET /api/v1/ticket-keys``, JWK); the check-in API accepts it in place of the
plain code.

Keys rotate (``ticket_key_rotate``): the new key signs from then on; the old one
keeps verifying the tickets it signed, until their event's check-in closes
(``x``), and stays published until the last such event is over.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import qrcode
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organization
from core import audit, locks
from core import secrets as stored_secrets
from core.audit import Actor
from core.documents import Branding, Document
from events.models import Event
from registrations.models import DocumentBranding, Registration, TicketSigningKey

PREFIX = "EPT1"
ALGORITHM = "EdDSA"


class InvalidTicket(Exception):
    """A signed ticket that does not verify; ``reason`` says why (logged with the refused scan)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedTicket:
    code: str
    event_id: str
    key_id: str
    issued_at: int
    valid_until: int


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_signed(code: str) -> bool:
    return code.startswith(PREFIX + ".")


# -- keys ---------------------------------------------------------------------------------------
def _new_key(organization_id: Any) -> TicketSigningKey:
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return TicketSigningKey(
        organization_id=organization_id,
        key_id=f"tk_{secrets.token_hex(8)}",
        public_key=_b64(raw_public),
        private_key=stored_secrets.encrypt(_b64(raw_private)),
    )


def current_key(organization: Organization) -> TicketSigningKey:
    """The organization's current signing key, made on first use (a parallel first use finds the winner's)."""
    found = TicketSigningKey.objects.filter(organization=organization, retired_at__isnull=True).first()
    if found is not None:
        return found
    key = _new_key(organization.pk)
    try:
        with transaction.atomic():
            key.save(force_insert=True)
    except IntegrityError:
        return TicketSigningKey.objects.get(organization=organization, retired_at__isnull=True)
    return key


def ticket_key_rotate(*, actor: Actor, organization: Organization, now: dt.datetime | None = None) -> TicketSigningKey:
    """Retire the current key and make a new one; returns the new key.

    Locks the current key row. The retired key keeps verifying the tickets it
    signed until their event's check-in closes; it is published until the last
    of the organization's events not over yet is (``valid_until``). Audited.
    """
    now = now or timezone.now()
    with transaction.atomic():
        with locks.bounded():
            old = TicketSigningKey.objects.select_for_update().filter(organization=organization, retired_at__isnull=True).first()
        if old is not None:
            # Until the check-in of every event it may have signed for closes (the window may run past the end).
            recent = Event.objects.filter(organization=organization, ends_at__gte=now - dt.timedelta(days=7)).only(
                "ends_at", "check_in_closes_minutes_after_end"
            )
            old.retired_at = now
            old.valid_until = max([now, *(e.check_in_closes_at for e in recent)])
            old.save(update_fields=["retired_at", "valid_until", "updated_at"])
        new = _new_key(organization.pk)
        new.save(force_insert=True)
        audit.record(
            actor=actor,
            action="ticket_key.rotated",
            target=new,
            organization_id=organization.pk,
            changes={"retired": None if old is None else old.key_id, "current": new.key_id},
        )
    return new


def published_keys(organization: Organization, now: dt.datetime | None = None) -> list[TicketSigningKey]:
    """The keys a check-in device needs: the current one and retired ones still verifying tickets."""
    now = now or timezone.now()
    current_key(organization)
    return list(
        TicketSigningKey.objects.filter(organization=organization)
        .exclude(retired_at__isnull=False, valid_until__lt=now)
        .order_by("retired_at", "-created_at")
    )


def jwk(key: TicketSigningKey) -> dict[str, Any]:
    """The public key as a JSON Web Key (RFC 8037: OKP, Ed25519)."""
    return {
        "kid": key.key_id,
        "kty": "OKP",
        "crv": "Ed25519",
        "alg": ALGORITHM,
        "use": "sig",
        "x": key.public_key,
        "status": "current" if key.retired_at is None else "retired",
        "retired_at": key.retired_at,
        "valid_until": key.valid_until,
    }


# -- signing and verifying -------------------------------------------------------------------
def sign(registration: Registration, key: TicketSigningKey | None = None) -> str:
    """The signed QR payload of ``registration``'s ticket (deterministic for a key: Ed25519 signatures are)."""
    event = registration.event
    key = key or current_key(event.organization)
    issued = registration.confirmed_at or registration.created_at
    payload = {
        "c": registration.ticket_code,
        "e": str(registration.event_id),
        "i": int(issued.timestamp()),
        "x": int(event.check_in_closes_at.timestamp()),
    }
    message = f"{PREFIX}.{key.key_id}.{_b64(json.dumps(payload, separators=(',', ':')).encode())}"
    private = Ed25519PrivateKey.from_private_bytes(_unb64(stored_secrets.decrypt(key.private_key)))
    return f"{message}.{_b64(private.sign(message.encode()))}"


def verify(
    *,
    organization: Organization,
    token: str,
    now: dt.datetime | None = None,
    keys: dict[str, TicketSigningKey | None] | None = None,
) -> VerifiedTicket:
    """The ticket ``token`` carries, if the organization's key signed it and may still vouch for it; else InvalidTicket.

    ``keys`` caches the keys looked up across calls (a bulk check-in verifies many tokens of few keys).
    """
    now = now or timezone.now()
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise InvalidTicket("MALFORMED")
    _, key_id, body, signature = parts
    keys = {} if keys is None else keys
    if key_id not in keys:
        keys[key_id] = TicketSigningKey.objects.filter(organization=organization, key_id=key_id).first()
    key = keys[key_id]
    if key is None:
        raise InvalidTicket("UNKNOWN_KEY")
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(key.public_key)).verify(_unb64(signature), f"{PREFIX}.{key_id}.{body}".encode())
        payload = json.loads(_unb64(body))
        ticket = VerifiedTicket(
            code=str(payload["c"]),
            event_id=str(payload["e"]),
            key_id=key_id,
            issued_at=int(payload["i"]),
            valid_until=int(payload["x"]),
        )
    except (InvalidSignature, binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidTicket("BAD_SIGNATURE") from None
    if key.retired_at is not None:
        if ticket.issued_at > int(key.retired_at.timestamp()):
            raise InvalidTicket("KEY_RETIRED")
        if now.timestamp() > ticket.valid_until:
            raise InvalidTicket("EXPIRED")
    return ticket


# -- branding ---------------------------------------------------------------------------------
BRANDING_FIELDS = ("primary_colour", "accent_colour", "footer", "logo", "logo_type")


def document_branding_update(*, actor: Actor, organization: Organization, data: dict[str, Any]) -> DocumentBranding:
    """Store how the organization's documents look (colours, footer, logo; ``logo`` None removes it).

    Locks the organization's branding row (made on first use). Audited (the logo by its size, not its bytes).
    """
    with transaction.atomic():
        DocumentBranding.objects.get_or_create(organization=organization)
        with locks.bounded():
            branding = DocumentBranding.objects.select_for_update().get(organization=organization)
        before = {"logo_bytes": len(branding.logo or b"")}
        changes = audit.assign(branding, {k: v for k, v in data.items() if k != "logo"}, BRANDING_FIELDS)
        if "logo" in data:
            branding.logo = data["logo"]
            branding.logo_type = data.get("logo_type", "") if data["logo"] else ""
            changes["logo_bytes"] = {"from": before["logo_bytes"], "to": len(data["logo"] or b"")}
        branding.save()
        audit.record(
            actor=actor, action="document_branding.updated", target=branding, organization_id=organization.pk, changes=changes
        )
        return branding


# -- documents --------------------------------------------------------------------------------
def qr_matrix(data: str) -> list[list[bool]]:
    # One fixed mask: any of the eight decodes the same, and scoring all eight is most of the time a symbol takes.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _local(value: dt.datetime, time_zone: str) -> str:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _where(event: Event) -> str:
    venue = event.venue if event.venue_id is not None else None
    if venue is not None:
        return ", ".join(part for part in (venue.name, venue.address, venue.city, venue.country) if part)
    return event.online_url or "Online"


def tickets_pdf(registrations: Sequence[Registration], branding: Branding) -> bytes:
    """One page per ticket: the event, when and where, the attendee, the ticket type, the code and the signed QR."""
    first = registrations[0]
    document = Document(
        title=f"Ticket{'s' if len(registrations) > 1 else ''}: {first.event.title}",
        branding=branding,
        created_at=first.confirmed_at or first.created_at,
        subject=first.event.title,
    )
    key = current_key(first.event.organization)
    for index, registration in enumerate(registrations):
        if index:
            document.new_page()
        event = registration.event
        document.title(
            event.title, subtitle=f"{_local(event.starts_at, event.time_zone)} to {_local(event.ends_at, event.time_zone)}"
        )
        top = document.y
        document.fields(
            [
                ("Attendee", registration.attendee_name),
                ("Email", registration.attendee_email),
                ("Ticket", registration.ticket_type.name),
                ("Where", _where(event)),
                ("Ticket code", registration.ticket_code),
            ],
            label_width=28,
            width=document.width - 62,
        )
        document.qr(qr_matrix(sign(registration, key)), size=55, x=document.right - 55, y=top)
        document.space(30)
        document.paragraph(
            "Show this page (printed or on screen) at the entrance. The QR code is signed by the organizer "
            f"(key {key.key_id}) and can be checked without a network connection.",
            size=8,
        )
    return document.render()


def certificate_pdf(registration: Registration, attended_at: dt.datetime, branding: Branding) -> bytes:
    """The certificate that ``registration``'s attendee attended its event (checked in at ``attended_at``)."""
    event = registration.event
    document = Document(
        title=f"Certificate of attendance: {registration.attendee_name}",
        branding=branding,
        created_at=attended_at,
        subject=event.title,
    )
    document.space(20)
    document.title("Certificate of attendance")
    document.paragraph("This certifies that", size=12)
    document.space(4)
    document.heading(registration.attendee_name, size=22)
    document.space(4)
    document.paragraph(f"attended {event.title}", size=12)
    document.paragraph(f"held {_local(event.starts_at, event.time_zone)} to {_local(event.ends_at, event.time_zone)}", size=10)
    document.paragraph(f"at {_where(event)}.", size=10)
    document.space(16)
    document.fields(
        [
            ("Checked in", _local(attended_at, event.time_zone)),
            ("Ticket", registration.ticket_type.name),
            ("Reference", registration.ticket_code),
            ("Issued by", branding.name),
        ],
        label_width=30,
    )
    return document.render()
