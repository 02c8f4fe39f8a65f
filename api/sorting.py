"""The ``sort`` query parameter: ``sort=-startsAt,title``."""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from api.exceptions import ApiError
from core import errors as codes


def parse_sort(request: Request, allowed: dict[str, str], default: list[str]) -> list[str]:
    """Model ordering for the request's ``sort`` (camelCase names in ``allowed``), ending with ``id``."""
    raw = request.query_params.get("sort")
    if not raw:
        order = list(default)
    else:
        order = []
        for part in raw.split(","):
            part = part.strip()
            desc = part.startswith("-")
            name = part.lstrip("-+")
            if name not in allowed:
                raise ApiError(
                    codes.INVALID_SORT,
                    f"Cannot sort by {name!r}",
                    details=f"Sortable fields: {', '.join(sorted(allowed))}",
                    target="sort",
                )
            order.append(("-" if desc else "") + allowed[name])
    if not any(o.lstrip("-") == "id" for o in order):
        order.append("id")
    return order


def sort_parameter(allowed: dict[str, str]) -> OpenApiParameter:
    """The ``sort`` query parameter of a list that honours ``allowed`` (its camelCase names), for the OpenAPI document."""
    names = "|".join(re.escape(name) for name in sorted(allowed))
    return OpenApiParameter(
        "sort",
        str,
        OpenApiParameter.QUERY,
        description=f"Comma-separated fields, `-` for descending (e.g. `-{next(iter(allowed))}`). "
        f"Sortable: {', '.join(f'`{n}`' for n in sorted(allowed))}; anything else is `INVALID_SORT`.",
        pattern=f"^-?({names})(,-?({names}))*$",
    )
