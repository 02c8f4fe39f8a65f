"""The API changelog, worked out from the OpenAPI documents of its releases (spec §11.3).

A release keeps the surface of its OpenAPI document in ``api/releases/<version>.json``
(``manage.py api_release <version>``): every operation with its parameters, the fields
of its request body and of each response (dotted paths, ``[]`` for array items, with
type and whether required). The surface is what partners' code depends on, a few
percent of the whole document (descriptions and examples left out), so a release's
file stays reviewable in a diff.

:func:`diff` compares two surfaces and classifies each change: removing an operation,
a parameter or a response field, adding a required parameter or request field, or
changing a type breaks clients (``breaking``); the rest is ``added`` or ``changed``.
The portal shows every release's changes against the one before, and what the code
serves now against the last release ("unreleased"), with an Atom feed and a migration
page per breaking change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RELEASES = Path(__file__).resolve().parent / "releases"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
MAX_DEPTH = 6


# -- Surfaces ------------------------------------------------------------------------------------------


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"].get(name, {})
        seen += 1
    return schema


def _type(schema: dict[str, Any]) -> str:
    if "oneOf" in schema or "anyOf" in schema:
        kinds = sorted({_type(s) for s in schema.get("oneOf", schema.get("anyOf", []))})
        return " | ".join(kinds)
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    if "enum" in schema:
        return f"{kind} enum({', '.join(str(v) for v in schema['enum'])})"
    return f"{kind}:{schema['format']}" if "format" in schema else str(kind)


def _fields(document: dict[str, Any], schema: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, dict[str, Any]]:
    """Every field of ``schema`` as ``{"a.b[].c": {"type": ..., "required": bool}}``."""
    schema = _resolve(document, schema)
    for combiner in ("allOf",):
        if combiner in schema:
            merged: dict[str, dict[str, Any]] = {}
            for part in schema[combiner]:
                merged.update(_fields(document, part, prefix, depth))
            return merged
    out: dict[str, dict[str, Any]] = {}
    if depth >= MAX_DEPTH:
        return out
    if schema.get("type") == "array" and "items" in schema:
        return _fields(document, schema["items"], f"{prefix}[]", depth + 1)
    required = set(schema.get("required", []))
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        resolved = _resolve(document, sub)
        out[path] = {"type": _type(resolved), "required": name in required}
        out.update(_fields(document, resolved, path, depth + 1))
    return out


def _body(document: dict[str, Any], content: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    for media in ("application/json", "multipart/form-data"):
        if content and media in content and "schema" in content[media]:
            return _fields(document, content[media]["schema"])
    return {}


def surface(document: dict[str, Any]) -> dict[str, Any]:
    """What clients depend on in an OpenAPI document: operations, parameters, request and response fields."""
    operations: dict[str, Any] = {}
    for path, item in sorted(document.get("paths", {}).items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = {
                f"{p['in']}:{p['name']}": {"type": _type(p.get("schema", {})), "required": bool(p.get("required"))}
                for p in (*item.get("parameters", []), *operation.get("parameters", []))
            }
            responses = {
                status: _body(document, response.get("content"))
                for status, response in sorted(operation.get("responses", {}).items())
                if str(status).startswith("2")
            }
            operations[f"{method.upper()} {path}"] = {
                "summary": operation.get("summary", ""),
                "deprecated": bool(operation.get("deprecated")),
                "parameters": dict(sorted(parameters.items())),
                "request": _body(document, (operation.get("requestBody") or {}).get("content")),
                "responses": responses,
            }
    return {"operations": operations}


# -- Differences ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # breaking, added, changed
    operation: str  # "GET /api/v1/events"
    what: str  # operation, parameter, request field, response field
    name: str  # the parameter or field ("" for an operation)
    summary: str  # one sentence for the changelog, of the operation or the named parameter or field
    before: str = ""
    after: str = ""

    @property
    def slug(self) -> str:
        text = f"{self.operation} {self.what} {self.name}".lower()
        return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def _compare_fields(
    changes: list[Change], operation: str, what: str, old: dict[str, Any], new: dict[str, Any], *, request: bool
) -> None:
    for name in sorted(old.keys() - new.keys()):
        # A field the server no longer sends, or no longer accepts (sending it now is refused as unknown).
        changes.append(Change("breaking", operation, what, name, "Removed.", before=old[name]["type"]))
    for name in sorted(new.keys() - old.keys()):
        spec = new[name]
        if request and spec["required"]:
            changes.append(Change("breaking", operation, what, name, "New and required.", after=spec["type"]))
        else:
            changes.append(Change("added", operation, what, name, "New.", after=spec["type"]))
    for name in sorted(old.keys() & new.keys()):
        before, after = old[name], new[name]
        if before["type"] != after["type"]:
            changes.append(Change("breaking", operation, what, name, "Changed type.", before=before["type"], after=after["type"]))
        elif request and after["required"] and not before["required"]:
            changes.append(Change("breaking", operation, what, name, "Now required."))
        elif not request and before["required"] and not after["required"]:
            changes.append(Change("breaking", operation, what, name, "May now be absent."))
        elif before["required"] != after["required"]:
            changes.append(Change("changed", operation, what, name, "Now required." if after["required"] else "Now optional."))


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from surface ``old`` to surface ``new``, breaking ones first."""
    changes: list[Change] = []
    before, after = old["operations"], new["operations"]
    for operation in sorted(before.keys() - after.keys()):
        changes.append(Change("breaking", operation, "operation", "", "Removed."))
    for operation in sorted(after.keys() - before.keys()):
        changes.append(Change("added", operation, "operation", "", f"New: {after[operation]['summary']}"))
    for operation in sorted(before.keys() & after.keys()):
        a, b = before[operation], after[operation]
        if b["deprecated"] and not a["deprecated"]:
            changes.append(Change("changed", operation, "operation", "", "Deprecated."))
        _compare_fields(changes, operation, "parameter", a["parameters"], b["parameters"], request=True)
        _compare_fields(changes, operation, "request field", a["request"], b["request"], request=True)
        for status in sorted(a["responses"].keys() | b["responses"].keys()):
            _compare_fields(
                changes,
                operation,
                f"response {status} field",
                a["responses"].get(status, {}),
                b["responses"].get(status, {}),
                request=False,
            )
    order = {"breaking": 0, "changed": 1, "added": 2}
    return sorted(changes, key=lambda change: order[change.kind])


# -- Releases ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    version: str
    released: dt.date
    surface: dict[str, Any]


def releases(folder: Path | None = None) -> list[Release]:
    """The released surfaces, oldest first."""
    found = []
    for path in (folder or RELEASES).glob("*.json"):
        data = json.loads(path.read_text())
        found.append(Release(data["version"], dt.date.fromisoformat(data["released"]), data))
    return sorted(found, key=lambda release: tuple(int(p) for p in release.version.split(".")))


@dataclass(frozen=True)
class Entry:
    """One section of the changelog: a release (or the unreleased changes) and its changes against the one before."""

    version: str  # "" for what is not released yet
    released: dt.date | None
    changes: list[Change]
    first: bool = False

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.kind == "breaking"]


def changelog(current: dict[str, Any], folder: Path | None = None) -> list[Entry]:
    """Newest first: what the code serves now against the last release, then each release against the one before."""
    released = releases(folder)
    entries = []
    if released:
        entries.append(Entry("", None, diff(released[-1].surface, current)))
    for index, release in enumerate(released):
        previous = released[index - 1].surface if index else {"operations": {}}
        entries.append(Entry(release.version, release.released, diff(previous, release.surface), first=index == 0))
    return [entries[0], *reversed(entries[1:])] if released else []


def write_release(version: str, released: dt.date, document: dict[str, Any], folder: Path | None = None) -> Path:
    folder = folder or RELEASES
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{version}.json"
    data = {"version": version, "released": released.isoformat(), **surface(document)}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return path
