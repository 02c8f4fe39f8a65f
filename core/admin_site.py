"""The raw model admin at /admin/: platform superusers only (issue 17, ADR 0022).

Organizers, their staff and check-in staff work in the organizer console at /console/; the admin's
model lists are for the people who run the platform. A signed-in member who is not a superuser is
sent to the console, an anonymous visitor to the one sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache

CONSOLE_URL = "/console/"


class PlatformAdminSite(admin.AdminSite):
    site_header = "Event Management Platform"
    site_title = "Event Management Platform"
    index_title = "Platform administration"
    # "View site" leads to the organizer console, where organizers work.
    site_url = CONSOLE_URL

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        guarded: Callable[..., HttpResponse] = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                return HttpResponseRedirect(CONSOLE_URL)
            return guarded(request, *args, **kwargs)

        return update_wrapper(never_cache(inner), guarded)


class PlatformAdminConfig(AdminConfig):
    default_site = "core.admin_site.PlatformAdminSite"
