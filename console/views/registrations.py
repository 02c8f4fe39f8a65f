"""One registration: its answers, payments and refunds, emails sent, check-ins and audit trail, and what an
organizer does with it (mark paid offline, comp, resend, cancel, refund with a reason)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.roles import Perm
from console.feedback import domain_error, form_errors
from console.forms import AnswersForm, OfflinePaymentForm, ReasonForm, RefundForm
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from payments import selectors as payment_selectors
from payments import services as payment_services
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.models import Registration

AUDIT_ROWS = 100


def registration_or_404(scope: Scope, registration_id: uuid.UUID) -> Registration:
    registration = registration_selectors.registration_for_ticket(
        organization=scope.organization, registration_id=registration_id
    )
    if registration is None:
        raise Http404("No such registration")
    return registration


@console_page(Perm.REGISTRATIONS_VIEW)
def registration_page(request: HttpRequest, scope: Scope, registration_id: uuid.UUID) -> HttpResponse:
    scope.require(Perm.CONSOLE_OPEN)
    registration = registration_or_404(scope, registration_id)
    if request.method == "POST":
        _act(request, scope, registration, request.POST.get("action", ""))
        return HttpResponseRedirect(reverse("console:registration", args=[registration.pk]))
    trail = list(
        account_selectors.audit_log(
            organization=scope.organization, filters=account_selectors.AuditFilter(object_id=str(registration.pk))
        )[:AUDIT_ROWS]
    )
    payments = (
        payment_selectors.payments_of_registration(organization=scope.organization, registration_id=registration.pk)
        if scope.can(Perm.PAYMENTS_VIEW)
        else None
    )
    context = {
        "registration": registration,
        "event": registration.event,
        "answers": [(str(k).replace("_", " ").capitalize(), v) for k, v in (registration.answers or {}).items()],
        "answers_form": _answers_form(registration),
        "payments": payments,
        "emails": [e for e in trail if e.action == "registration.email_sent"],
        "checkins": list(
            registration_selectors.checkin_list(
                organization=scope.organization, filters=registration_selectors.CheckInFilter(registration=registration.pk)
            )[:50]
        ),
        "trail": trail,
        "offline_form": OfflinePaymentForm(),
        "reason_form": ReasonForm(),
        "refund_form": RefundForm(),
    }
    return page(request, scope, "console/registration.html", context, section="events")


def _answers_form(registration: Registration, data: Any = None) -> AnswersForm:
    initial = {"attendee_name": registration.attendee_name, "attendee_email": registration.attendee_email}
    return AnswersForm(data, initial=initial, answers=dict(registration.answers or {}), prefix="answers")


def _act(request: HttpRequest, scope: Scope, registration: Registration, action: str) -> None:
    perms = {
        "answers": Perm.REGISTRATIONS_MANAGE,
        "mark_paid": Perm.PAYMENTS_MANAGE,
        "comp": Perm.REGISTRATIONS_MANAGE,
        "resend_confirmation": Perm.REGISTRATIONS_MANAGE,
        "resend_ticket": Perm.REGISTRATIONS_MANAGE,
        "cancel": Perm.REGISTRATIONS_MANAGE,
        "refund": Perm.PAYMENTS_MANAGE,
    }
    if action not in perms:
        raise Http404("No such action")
    scope.require(perms[action])
    try:
        if action == "answers":
            answers = _answers_form(registration, request.POST)
            if not answers.is_valid():
                return form_errors(request, answers)
            # The API's PATCH /registrations/{id} calls the same service: same checks, audit entry and (no) webhook.
            registration_services.registration_update(
                actor=scope.user,
                registration=registration,
                data={
                    "attendee_name": answers.cleaned_data["attendee_name"],
                    "attendee_email": answers.cleaned_data["attendee_email"],
                    "answers": answers.answers(),
                },
            )
            messages.success(request, "The attendee and the answers are saved.")
        elif action == "mark_paid":
            offline = OfflinePaymentForm(request.POST)
            if not offline.is_valid():
                return form_errors(request, offline)
            method = offline.cleaned_data["method"]
            recorded = payment_services.payment_record_offline(
                actor=scope.user, registrations=[registration], method=method, note=offline.cleaned_data["note"]
            )
            messages.success(
                request,
                f"Marked paid: {recorded.amount} {recorded.currency} received ({method.replace('_', ' ')}).",
            )
        elif action == "comp":
            comp = ReasonForm(request.POST)
            if not comp.is_valid():
                return form_errors(request, comp)
            registration_services.registration_comp(
                actor=scope.user, registration=registration, reason=comp.cleaned_data["reason"]
            )
            messages.success(request, "Confirmed free of charge.")
        elif action in ("resend_confirmation", "resend_ticket"):
            kind = "confirmation" if action == "resend_confirmation" else "ticket"
            registration_services.registration_send_ticket(actor=scope.user, registration=registration, kind=kind)
            messages.success(request, f"The {kind} was sent to {registration.attendee_email}.")
        elif action == "cancel":
            cancel = ReasonForm(request.POST)
            if not cancel.is_valid():
                return form_errors(request, cancel)
            registration_services.registration_cancel(
                actor=scope.user, registration=registration, reason=cancel.cleaned_data["reason"]
            )
            messages.success(request, "The registration is cancelled.")
        elif action == "refund":
            form = RefundForm(request.POST)
            if not form.is_valid():
                return form_errors(request, form)
            payment = payment_selectors.payment_get(
                organization=scope.organization, payment_id=_uuid(request.POST.get("payment"))
            )
            if payment is None or not payment.items.filter(registration_id=registration.pk).exists():
                raise Http404("No such payment")
            refund = payment_services.payment_refund(
                actor=scope.user, payment=payment, reason=form.cleaned_data["reason"], amount=form.cleaned_data["amount"]
            )
            messages.success(request, f"Refunded {refund.amount} {payment.currency}.")
    except DomainError as exc:
        domain_error(request, exc)


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None
