"""Every URL pattern of the project as a concrete path: the URL resolver walked, each parameter given a sample value."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x"}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    path: str  # with a leading slash
    name: str  # "namespace:name", or "" for an unnamed pattern


def _regex_example(regex: str, value: Callable[[str], str | None]) -> str:
    """A string matching ``regex`` (the simple regexes of URLconfs: anchors, named groups, optional characters)."""
    out, i = [], 0
    while i < len(regex):
        group = _REGEX_GROUP.match(regex, i)
        if group:
            depth, j = 1, group.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            body = regex[group.end() : j - 1]
            candidates = [value(group["name"]), *SAMPLES.values(), body.split("|")[0]]
            out.append(next(c for c in candidates if c is not None and re.fullmatch(body, c)))
            i = j
        elif regex[i] in "^$":
            i += 1
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif i + 1 < len(regex) and regex[i + 1] == "?":
            i += 2  # an optional character: left out
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def routes(value: Callable[[str, str], str | None] = lambda route_name, parameter: None) -> Iterator[Route]:
    """Every pattern of ROOT_URLCONF as a path that resolves to it. ``value(route_name, parameter)`` may give a
    parameter's value (an existing object's id), else a sample of its converter's type is used."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + _concrete(pattern.pattern, "", value), inner or "")
            else:
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or ""
                path = "/" + prefix + _concrete(pattern.pattern, name, value)
                resolve(path)  # a sample the pattern does not take fails here, not silently
                yield Route(path, name)

    yield from walk(get_resolver().url_patterns, "", "")


def _concrete(pattern: object, name: str, value: Callable[[str, str], str | None]) -> str:
    if isinstance(pattern, RoutePattern):

        def sample(match: re.Match[str]) -> str:
            return value(name, match["name"]) or SAMPLES[match["converter"] or "str"]

        return _ROUTE_PARAMETER.sub(sample, str(pattern))
    assert isinstance(pattern, RegexPattern)
    return _regex_example(str(pattern.regex.pattern), lambda parameter: value(name, parameter))
