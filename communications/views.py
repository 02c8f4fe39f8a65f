"""The unsubscribe link of reminders and surveys: a signed link (GET shows a confirmation, POST opts out) that is
also the RFC 8058 one-click target (``List-Unsubscribe-Post: List-Unsubscribe=One-Click``)."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communications import notify, services


@csrf_exempt  # RFC 8058: the mailbox provider posts without a session; the signed token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=notify.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "communications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.preference_set(organization_id=data["o"], email=data["e"], reminders=False, surveys=False)
        return render(request, "communications/unsubscribe.html", {"done": True, "email": data["e"]})
    return render(request, "communications/unsubscribe.html", {"email": data["e"]})
