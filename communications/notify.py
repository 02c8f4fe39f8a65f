"""The seven message types from their triggers, each to the right people once (``dedupe_key`` per trigger and
registration): confirmation (with the .ics), event changes and cancellation (to every registrant), reminders on
the event's schedule at 09:00 in its time zone, check-in instructions (with the ticket's QR code) when the
check-in window opens, the survey after the end, the certificate (PDF) to checked-in attendees only.
The payment receipt is the payments code's own email, sent through ``communications.backends``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from email.utils import formataddr
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from communications import selectors, services, templates
from communications.models import EventMessaging, MessageType, Preference
from events.calendar import event_document
from events.models import Event, EventStatus
from registrations.models import CheckIn, CheckInResult, Registration, RegistrationStatus

DEFAULT_REMINDER_DAYS = (7, 1)
RUN_CHUNK = 1000  # registrations read and queued per transaction
SEND_HOUR = 9  # local hour of the event at which reminders go out
UNSUBSCRIBE_SALT = "communications.unsubscribe"
# Types an attendee may opt out of (not receipts, nor changes to their own registration).
OPTIONAL: dict[str, str] = {MessageType.REMINDER: "reminders", MessageType.SURVEY: "surveys"}


def _location(event: Event) -> str:
    venue = event.venue
    if venue is not None:
        return ", ".join(p for p in (venue.name, venue.address, venue.city) if p)
    return "Online" if event.online_url or event.attendance_mode == "online" else ""


def _when(value: dt.datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M %Z")


def unsubscribe_token(organization_id: Any, email: str) -> str:
    return signing.dumps({"o": str(organization_id), "e": email.lower()}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(organization_id: Any, email: str) -> str:
    return f"{settings.SITE_URL}/email/unsubscribe/{unsubscribe_token(organization_id, email)}"


def context(registration: Registration, **extra: Any) -> dict[str, Any]:
    event = registration.event
    return {
        "attendee_name": registration.attendee_name,
        "event_title": event.title,
        "event_start": _when(event.starts_at, event.time_zone),
        "event_end": _when(event.ends_at, event.time_zone),
        "event_location": _location(event),
        "organization_name": event.organization.name,
        "ticket_code": registration.ticket_code,
        **extra,
    }


def languages_of(organization_id: Any, registrations: list[Registration]) -> dict[Any, str]:
    """Each registration's language (empty: unknown): a ``language`` answer on the registration, else the language
    the attendee chose for the organization's messages (``Preference.language``), else their account's locale."""
    emails = {r.attendee_email.lower() for r in registrations}
    chosen = dict(
        Preference.objects.filter(organization_id=organization_id, email__in=emails)
        .exclude(language="")
        .values_list("email", "language")
    )
    found: dict[Any, str] = {}
    for registration in registrations:
        answer = registration.answers.get("language") if isinstance(registration.answers, dict) else None
        user = registration.user if registration.user_id else None
        found[registration.pk] = templates.normalize_language(
            str(answer or "") or chosen.get(registration.attendee_email.lower(), "") or (user.locale if user else "")
        )
    return found


def compose(organization_id: Any, type: str, language: str, variables: dict[str, Any]) -> templates.Rendered:
    """The message of ``type`` in ``language`` (or the nearest the organization has: see ``templates.choose``)."""
    _, parts = templates.choose(
        type, selectors.own_templates(organization_id, type), language, selectors.default_language(organization_id)
    )
    return templates.render(*parts, variables)


def opted_out(organization_id: Any, email: str, type: str) -> bool:
    field = OPTIONAL.get(type)
    if field is None:
        return False
    return Preference.objects.filter(organization_id=organization_id, email=email.lower(), **{field: False}).exists()


def queue(
    registration: Registration,
    type: str,
    dedupe_key: str,
    *,
    extra: dict[str, Any] | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> bool:
    """Queue one message of ``type`` to the registration's attendee; False when they opted out of the type."""
    organization_id = registration.organization_id
    email = registration.attendee_email
    if opted_out(organization_id, email, type):
        return False
    variables = context(registration, **(extra or {}))
    headers: dict[str, str] = {}
    if type in OPTIONAL:
        link = unsubscribe_url(organization_id, email)
        variables["unsubscribe_url"] = link
        headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # RFC 8058
    language = languages_of(organization_id, [registration])[registration.pk]
    rendered = compose(organization_id, type, language, variables)
    message = _email(registration, rendered, headers, attachments)
    services.message_queue(
        organization=organization_id, email=message, type=type, event_id=registration.event_id, dedupe_key=dedupe_key
    )
    return True


def queue_many(
    event: Event,
    registrations: list[Registration],
    type: str,
    key_of: Callable[[Registration], str],
    *,
    extra: dict[str, Any] | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    attachments_of: Callable[[Registration], list[tuple[str, bytes, str]]] | None = None,
) -> int:
    """Queue one message of ``type`` to each registration's attendee in one pass (a few queries for all of them):
    opted-out attendees are skipped, each gets the template of their language. Messages whose only differences are
    the per-recipient variables go out in batches (``services.messages_queue_bulk``); a message with attachments of
    its own (``attachments_of``) goes alone. Returns how many were queued."""
    organization_id = event.organization_id
    field = OPTIONAL.get(type)
    opted: set[str] = set()
    if field is not None:
        opted = set(
            Preference.objects.filter(
                organization_id=organization_id,
                email__in={r.attendee_email.lower() for r in registrations},
                **{field: False},
            ).values_list("email", flat=True)
        )
    languages = languages_of(organization_id, registrations)
    own, default = selectors.own_templates(organization_id, type), selectors.default_language(organization_id)
    compiled: dict[str, templates.Compiled] = {}
    shared_text: dict[str, templates.Rendered] = {}
    shared_mail: dict[tuple[str, str, str, str], EmailMultiAlternatives] = {}
    common = list(attachments)
    outgoing: list[services.Outgoing] = []
    for registration in registrations:
        email = registration.attendee_email
        if email.lower() in opted:
            continue
        language, parts = templates.choose(type, own, languages[registration.pk], default)
        template = compiled.get(language) or compiled.setdefault(language, templates.compile_template(*parts))
        variables = context(registration, **(extra or {}))
        headers: dict[str, str] = {}
        if field is not None:
            link = unsubscribe_url(organization_id, email)
            variables["unsubscribe_url"] = link
            headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # RFC 8058
        rendered = templates.render_compiled(template, variables)
        own_attachments = attachments_of(registration) if attachments_of is not None else []
        mail = _email(registration, rendered, headers, [*common, *own_attachments])
        item = services.Outgoing(email=mail, dedupe_key=key_of(registration), language=language)
        if attachments_of is None:
            # The shared text depends on the event's variables only: rendered once per language.
            shared = shared_text.get(language) or shared_text.setdefault(language, templates.render_shared(template, variables))
            merge = templates.merge_of(variables)
            if templates.batchable(shared, merge, rendered):
                group = (language, shared.subject, shared.text, shared.html)
                if group not in shared_mail:
                    shared_mail[group] = _email(None, shared, {}, common)
                item.shared, item.merge = shared_mail[group], merge
        outgoing.append(item)
    return services.messages_queue_bulk(organization_id=organization_id, type=type, event_id=event.pk, outgoing=outgoing)


def _email(
    registration: Registration | None,
    rendered: templates.Rendered,
    headers: dict[str, str],
    attachments: Iterable[tuple[str, bytes, str]],
) -> EmailMultiAlternatives:
    """The email of a rendered message: to the registration's attendee (none: a batch's shared text)."""
    to: list[str] = []
    if registration is not None:
        email = registration.attendee_email
        to = [formataddr((registration.attendee_name, email)) if registration.attendee_name else email]
    message = EmailMultiAlternatives(
        subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers
    )
    message.attach_alternative(rendered.html, "text/html")
    for name, data, mimetype in attachments:
        message.attach(name, data, mimetype)
    return message


def _registrants(event: Event, statuses: Iterable[str]) -> Any:
    return (
        Registration.objects.filter(event=event, status__in=list(statuses))
        .select_related("event__organization", "event__venue", "user")
        .order_by("created_at", "id")
    )


def _remember(event: Event) -> None:
    EventMessaging.objects.update_or_create(
        event=event,
        defaults={
            "told_starts_at": event.starts_at,
            "told_ends_at": event.ends_at,
            "told_location": _location(event)[:500],
            "told_online_url": event.online_url[:500],
        },
    )


# -- triggers from the outbox ---------------------------------------------------------------------------------
def registration_confirmed(registration_id: Any) -> None:
    registration = Registration.objects.select_related("event__organization", "event__venue").filter(pk=registration_id).first()
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return
    with transaction.atomic():
        if not EventMessaging.objects.filter(event_id=registration.event_id, told_starts_at__isnull=False).exists():
            _remember(registration.event)
        queue(
            registration,
            MessageType.REGISTRATION_CONFIRMATION,
            f"confirmation:{registration.pk}",
            attachments=[("event.ics", event_document(registration.event, method="PUBLISH"), "text/calendar")],
        )


def changes_of(event: Event) -> list[str]:
    """What attendees were told and is no longer so: time, venue, online link."""
    told = EventMessaging.objects.filter(event=event).first()
    if told is None or told.told_starts_at is None:
        return []
    lines = []
    if told.told_starts_at != event.starts_at or told.told_ends_at != event.ends_at:
        lines.append(f"Time: {_when(event.starts_at, event.time_zone)} to {_when(event.ends_at, event.time_zone)}")
    if told.told_location != _location(event)[:500]:
        lines.append(f"Venue: {_location(event) or 'none'}")
    if told.told_online_url != event.online_url[:500]:
        lines.append(f"Online link: {event.online_url or 'none'}")
    return lines


def event_changed(event_id: Any, outbox_id: Any) -> int:
    """event.updated / event.cancelled: every registrant is told once what changed (nothing when nothing they
    were told changed: a new description is no message)."""
    event = Event.objects.select_related("organization", "venue").filter(pk=event_id).first()
    if event is None:
        return 0
    cancelled = event.status == EventStatus.CANCELLED
    if cancelled:
        lines = [f"The event is cancelled. {event.cancellation_reason}".strip()]
        key = f"cancelled:{event.pk}"
    else:
        lines = changes_of(event)
        key = f"update:{outbox_id}"
    if not lines:
        return 0
    count = 0
    method = "CANCEL" if cancelled else "PUBLISH"
    ics = [("event.ics", event_document(event, method=method), "text/calendar")]
    statuses = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT, RegistrationStatus.WAITLISTED)
    for chunk in _chunks(_registrants(event, statuses).iterator(chunk_size=RUN_CHUNK), RUN_CHUNK):
        with transaction.atomic():
            count += queue_many(
                event,
                chunk,
                MessageType.EVENT_UPDATE,
                lambda r: f"{key}:{r.pk}",
                extra={"changes": "\n".join(lines), "cancelled": cancelled},
                attachments=ics,
            )
    _remember(event)
    return count


# -- the schedule (beat) ---------------------------------------------------------------------------------------
def reminder_slots(event: Event) -> list[tuple[int, dt.datetime]]:
    """(days before, when it is due): SEND_HOUR o'clock in the event's time zone, that many days before its date."""
    settings_row = EventMessaging.objects.filter(event=event).first()
    days = (settings_row.reminder_days if settings_row and settings_row.reminder_days else None) or DEFAULT_REMINDER_DAYS
    zone = ZoneInfo(event.time_zone)
    start_date = event.starts_at.astimezone(zone).date()
    slots = []
    for n in sorted({int(d) for d in days}, reverse=True):
        local = dt.datetime.combine(start_date - dt.timedelta(days=n), dt.time(SEND_HOUR), tzinfo=zone)
        slots.append((n, local))
    return slots


def due_work(now: dt.datetime, *, horizon_days: int = 31) -> list[tuple[str, str, int]]:
    """(kind, event id, days) of everything due now: reminders, check-in instructions, surveys, certificates."""
    work: list[tuple[str, str, int]] = []
    upcoming = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=horizon_days)
    )
    for event in upcoming:
        for days, due in reminder_slots(event):
            if due <= now < due + dt.timedelta(days=1):
                work.append(("reminder", str(event.pk), days))
        opens = event.starts_at - dt.timedelta(minutes=event.check_in_opens_minutes_before_start)
        if opens <= now:
            work.append(("checkin", str(event.pk), 0))
    ended = Event.objects.filter(
        status__in=(EventStatus.PUBLISHED, EventStatus.COMPLETED),
        ends_at__lte=now,
        ends_at__gt=now - dt.timedelta(days=2),
    )
    for event in ended:
        work.append(("survey", str(event.pk), 0))
        work.append(("certificate", str(event.pk), 0))
    return work


def run(kind: str, event_id: Any, days: int) -> int:
    """Queue the messages of one due item (idempotent: each registration's message has its own key)."""
    event = Event.objects.select_related("organization", "venue").get(pk=event_id)
    confirmed = _registrants(event, (RegistrationStatus.CONFIRMED,))
    count = 0
    if kind == "certificate":
        checked_in = CheckIn.objects.filter(
            event=event, session__isnull=True, result=CheckInResult.OK, undone_at__isnull=True
        ).values("registration_id")
        confirmed = confirmed.filter(pk__in=checked_in)
    for chunk in _chunks(confirmed.iterator(chunk_size=RUN_CHUNK), RUN_CHUNK):
        with transaction.atomic():
            if kind == "reminder":
                count += queue_many(
                    event, chunk, MessageType.REMINDER, lambda r: f"reminder:{r.pk}:{days}", extra={"days_before": days}
                )
            elif kind == "checkin":
                count += queue_many(
                    event,
                    chunk,
                    MessageType.CHECKIN_INSTRUCTIONS,
                    lambda r: f"checkin:{r.pk}",
                    attachments_of=lambda r: [("ticket-qr.svg", qr_svg(r.ticket_code), "image/svg+xml")],
                )
            elif kind == "survey":
                url = f"{settings.SITE_URL}/api/v1/events/{event.pk}/sessions"
                count += queue_many(event, chunk, MessageType.SURVEY, lambda r: f"survey:{r.pk}", extra={"feedback_url": url})
            elif kind == "certificate":
                count += queue_many(
                    event,
                    chunk,
                    MessageType.CERTIFICATE,
                    lambda r: f"certificate:{r.pk}",
                    attachments_of=lambda r: [("certificate.pdf", certificate_pdf(r), "application/pdf")],
                )
    return count


def _chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def qr_svg(code: str) -> bytes:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(code, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def certificate_pdf(registration: Registration) -> bytes:
    """A one-page PDF certificate (a minimal PDF writer: the platform has no PDF module yet)."""
    event = registration.event
    lines = [
        ("Certificate of attendance", 28, 720),
        (registration.attendee_name, 22, 640),
        (f"attended {event.title}", 16, 600),
        (f"{_when(event.starts_at, event.time_zone)} - {_when(event.ends_at, event.time_zone)}", 12, 570),
        (f"{event.organization.name} - ticket {registration.ticket_code}", 10, 520),
    ]

    def escape(text: str) -> str:
        latin = text.encode("latin-1", "replace").decode("latin-1")
        return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "".join(f"BT /F1 {size} Tf 72 {y} Td ({escape(text)}) Tj ET\n" for text, size, y in lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
