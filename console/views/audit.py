"""The organization's audit log, filterable by actor, action, object and date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse

from accounts import selectors as account_selectors
from accounts.roles import Perm
from console.pages import page
from console.tenancy import Scope, console_page

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    actor = forms.ChoiceField(required=False, label="Who")
    action = forms.CharField(required=False, label="Action", help_text='e.g. "registration.cancelled", or "payment." for all')
    object_type = forms.CharField(required=False, label="Object type", help_text='e.g. "registrations.registration"')
    object_id = forms.CharField(required=False, label="Object id")
    since = forms.DateField(required=False, label="From (UTC day)", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To (UTC day)", widget=forms.DateInput(attrs={"type": "date"}))


@console_page(Perm.AUDIT_VIEW)
def audit(request: HttpRequest, scope: Scope) -> HttpResponse:
    scope.require(Perm.CONSOLE_OPEN)
    form = AuditFilterForm(request.GET)
    members = account_selectors.member_list(organization=scope.organization)
    form.fields["actor"].choices = [("", "Anyone"), *((str(m.user_id), m.user.email) for m in members)]  # type: ignore[attr-defined]
    data = form.cleaned_data if form.is_valid() else {}
    filters = account_selectors.AuditFilter(
        action=data.get("action") or None,
        object_type=data.get("object_type") or None,
        object_id=data.get("object_id") or None,
        actor_id=data.get("actor") or None,
    )
    qs = account_selectors.audit_log_between(
        organization=scope.organization, filters=filters, since=data.get("since"), until=data.get("until")
    )
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(pk__lt=int(before))
    entries = list(qs[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("before", None)
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    if more:
        query["before"] = str(entries[-1].pk)
    context = {
        "form": form,
        "entries": [{"entry": e, "changes": _changes(e.changes)} for e in entries],
        "older": query.urlencode() if more else "",
        "today": dt.date.today(),
    }
    return page(request, scope, "console/audit.html", context, section="audit")


def _changes(changes: object) -> list[str]:
    """The entry's changes as short sentences ("status: pending payment → confirmed"), never a JSON box."""
    if not isinstance(changes, dict):
        return []
    out = []
    for field, value in list(changes.items())[:8]:
        name = str(field).replace("_", " ")
        if isinstance(value, dict) and set(value) >= {"from", "to"}:
            out.append(f"{name}: {_plain(value['from'])} → {_plain(value['to'])}")
        else:
            out.append(f"{name}: {_plain(value)}")
    return out


def _plain(value: object) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value[:5]) + ("…" if len(value) > 5 else "")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in list(value.items())[:4])
    text = str(value).replace("_", " ")
    return text if len(text) <= 80 else text[:79] + "…"
