"""The API changelog in the portal: releases and their changes (api.changelog), an Atom feed, a migration page per
breaking change."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from api import changelog, versions
from api.changelog import Change, Entry
from api.schema import document

# What a client does about each kind of breaking change (the migration page's steps).
STEPS = {
    ("operation", "removed"): "Find the calls to {operation} in your client and move them to the replacement before you upgrade.",
    ("parameter", "removed"): "Stop sending {name}: a request with a parameter the operation does not declare is refused "
    "(UNKNOWN_PARAMETER).",
    ("parameter", "new"): "Send {name} ({after}) with every request to {operation}.",
    ("request field", "removed"): "Stop sending {name}: a body with a field the operation does not declare is refused "
    "(UNKNOWN_FIELD).",
    ("request field", "new"): "Send {name} ({after}) in every request body of {operation}.",
    ("response field", "removed"): "Stop reading {name} from the response of {operation}; treat it as absent.",
    ("any", "type"): "Parse {name} as {after} instead of {before}.",
    ("any", "required"): "Send {name} in every request to {operation}.",
    ("any", "optional"): "Read {name} as optional in the response of {operation}.",
}


def steps(change: Change) -> str:
    what = "response field" if change.what.startswith("response") else change.what
    key = {
        "Changed type.": ("any", "type"),
        "Now required.": ("any", "required"),
        "May now be absent.": ("any", "optional"),
        "Removed.": (what, "removed"),
    }.get(change.summary, (what, "new"))
    return STEPS[key].format(operation=change.operation, name=change.name, before=change.before, after=change.after)


@functools.cache
def entries() -> list[Entry]:
    """The changelog of this process's code (the document is made once; so is this)."""
    return changelog.changelog(changelog.surface(document()))


def _deprecation(change: Change) -> versions.Deprecation | None:
    method, _, path = change.operation.partition(" ")
    for entry in versions.DEPRECATIONS:
        if entry.method == method and entry.route == path and entry.name in ("", change.name):
            return entry
    return None


def changelog_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/changelog.html", {"entries": entries()})


def migration_page(request: HttpRequest, version: str, slug: str) -> HttpResponse:
    for entry in entries():
        if (entry.version or "unreleased") == version:
            for change in entry.breaking:
                if change.slug == slug:
                    context = {"entry": entry, "change": change, "steps": steps(change), "deprecation": _deprecation(change)}
                    return render(request, "portal/migration.html", context)
    raise Http404("no such breaking change")


class ChangelogFeed(Feed):
    """One entry per release, with its changes (the unreleased changes are not announced)."""

    feed_type = Atom1Feed
    title = "Event Management Platform API changelog"
    subtitle = "Releases of REST API v1 and their changes, breaking ones first."

    def link(self) -> str:
        return reverse("portal:changelog")

    def items(self) -> list[Entry]:
        return [entry for entry in entries() if entry.version]

    def item_title(self, item: Entry) -> str:
        breaking = f", {len(item.breaking)} breaking" if item.breaking else ""
        return f"API {item.version}: {len(item.changes)} changes{breaking}"

    def item_description(self, item: Entry) -> str:
        return "\n".join(
            f"[{change.kind}] {change.operation} {change.what} {change.name}: {change.summary}" for change in item.changes
        )

    def item_link(self, item: Entry) -> str:
        return f"{reverse('portal:changelog')}#v{item.version}"

    def item_pubdate(self, item: Entry) -> Any:
        import datetime as dt

        return dt.datetime.combine(item.released or dt.date.today(), dt.time(), tzinfo=dt.UTC)

    item_updateddate = item_pubdate
