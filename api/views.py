"""Pages of the API itself: the error reference generated from the code registry."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import lookup, registry


def error_index(request: HttpRequest) -> HttpResponse:
    return render(request, "api/errors.html", {"errors": registry()})


def error_detail(request: HttpRequest, code: str) -> HttpResponse:
    entry = lookup(code)
    if entry is None:
        raise Http404(code)
    return render(request, "api/error_detail.html", {"error": entry})
