"""``OPTIONS`` on any API route: what the resource is and which media types it takes and gives.

DRF's ``SimpleMetadata`` also lists each writable method's fields by calling
``get_object()`` and ``get_serializer()``, which the platform's views (thin
viewsets over services and selectors) do not use; that crashed on every route
that allows PUT. The fields of every method are in the OpenAPI schema, which
the answer links to. The allowed methods are in the ``Allow`` header.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}

    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        metadata = super().determine_metadata(request, view)
        metadata["schema"] = request.build_absolute_uri(reverse("schema"))
        return metadata
