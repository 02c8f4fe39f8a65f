"""The changelog worked out from released OpenAPI surfaces: what breaks clients and what does not."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from api import changelog, versions
from api.schema import document

EVENTS = "GET /api/v1/events"
CREATE = "POST /api/v1/registrations"


@pytest.fixture(scope="module")
def current() -> dict[str, Any]:
    return changelog.surface(document())


def kinds(changes: list[changelog.Change]) -> set[tuple[str, str, str, str]]:
    return {(c.kind, c.operation, c.what, c.name) for c in changes}


def test_the_surface_has_every_operation_with_its_parameters_and_fields(current: dict[str, Any]) -> None:
    operations = current["operations"]
    assert EVENTS in operations and CREATE in operations
    assert operations[EVENTS]["parameters"]["query:status"]["required"] is False
    assert operations[CREATE]["request"]["eventId"] == {"required": True, "type": "string:uuid"}
    assert "data[].title" in operations[EVENTS]["responses"]["200"]


def test_nothing_changed_is_no_change(current: dict[str, Any]) -> None:
    assert changelog.diff(current, copy.deepcopy(current)) == []


def test_what_breaks_clients_is_breaking_and_the_rest_is_not(current: dict[str, Any]) -> None:
    new = copy.deepcopy(current)
    ops = new["operations"]
    del ops["DELETE /api/v1/events/{id}"]
    del ops[EVENTS]["parameters"]["query:status"]
    ops[EVENTS]["parameters"]["query:region"] = {"type": "string", "required": True}
    ops[EVENTS]["parameters"]["query:sort2"] = {"type": "string", "required": False}
    del ops[EVENTS]["responses"]["200"]["data[].title"]
    ops[EVENTS]["responses"]["200"]["data[].subtitle"] = {"type": "string", "required": False}
    ops[CREATE]["request"]["eventId"]["type"] = "integer"
    ops[CREATE]["request"]["coupon"] = {"type": "string", "required": False}
    ops["GET /api/v1/brand-new"] = {
        "summary": "A new thing",
        "deprecated": False,
        "parameters": {},
        "request": {},
        "responses": {},
    }

    changes = changelog.diff(current, new)
    assert kinds(changes) == {
        ("breaking", "DELETE /api/v1/events/{id}", "operation", ""),
        ("breaking", EVENTS, "parameter", "query:status"),
        ("breaking", EVENTS, "parameter", "query:region"),
        ("added", EVENTS, "parameter", "query:sort2"),
        ("breaking", EVENTS, "response 200 field", "data[].title"),
        ("added", EVENTS, "response 200 field", "data[].subtitle"),
        ("breaking", CREATE, "request field", "eventId"),
        ("added", CREATE, "request field", "coupon"),
        ("added", "GET /api/v1/brand-new", "operation", ""),
    }
    assert [c.kind for c in changes] == sorted((c.kind for c in changes), key=["breaking", "changed", "added"].index)
    [retyped] = [c for c in changes if c.name == "eventId"]
    assert (retyped.before, retyped.after) == ("string:uuid", "integer")


def test_each_release_file_is_a_registered_version_and_the_changelog_lists_them_newest_first(
    current: dict[str, Any], tmp_path: Any
) -> None:
    released = changelog.releases()
    assert released, "api/releases/ keeps the released documents"
    assert {release.version for release in released} <= set(versions.supported())
    changelog.write_release("1.0", dt.date(2026, 12, 1), document(), folder=tmp_path)
    later = json.loads((tmp_path / "1.0.json").read_text())
    del later["operations"][EVENTS]["parameters"]["query:status"]
    (tmp_path / "1.1.json").write_text(json.dumps({**later, "version": "1.1", "released": "2027-01-10"}))
    entries = changelog.changelog(current, folder=tmp_path)
    assert [entry.version for entry in entries] == ["", "1.1", "1.0"]
    assert kinds(entries[1].changes) == {("breaking", EVENTS, "parameter", "query:status")}
    assert kinds(entries[0].changes) == {("added", EVENTS, "parameter", "query:status")}  # back in the code now
    assert entries[2].first and len(entries[2].changes) == len(current["operations"])
