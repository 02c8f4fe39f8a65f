"""Server-rendered pages of the developer portal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: what a partner developer can do here and where to start."""
    return render(request, "portal/home.html")
