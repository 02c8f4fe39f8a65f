"""``GET /api/v1/changes``: the organization's change feed (core.changes), read with a cursor (spec §10.3).

Each item says that a row was created or changed (``upsert``: read it again) or deleted
(``delete``: drop your copy). A partner keeps ``nextCursor`` and asks again from it; the
feed is numbered in commit order (``core.changes.stamp``), so no create, update or
delete is ever behind a cursor a partner already holds. The feed keeps changes for
``CHANGE_RETENTION_DAYS`` and drops those a later change of the same row supersedes
(``core.changes.purge``): a cursor behind a change the retention deleted answers 410
``CHANGE_CURSOR_EXPIRED``, and a read without a cursor starts at the oldest change kept. Only the resources the caller
may read are listed (the role's permission, or for a key or client the permission its
scopes grant): the feed never tells a caller about rows it could not fetch.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.exceptions import ApiError
from api.representation import iso
from api.serializers import CsvField, QuerySerializer
from api.viewsets import ApiViewSet
from core import changes
from core import errors as codes

DEFAULT_LIMIT, MAX_LIMIT = 200, 1000
_CURSOR = re.compile(r"^c1\.(\d{1,18})$")


def encode_cursor(sequence: int) -> str:
    return f"c1.{sequence}"


def decode_cursor(raw: str) -> int:
    match = _CURSOR.match(raw)
    if match is None:
        raise ApiError(codes.INVALID_CHANGE_CURSOR, target="cursor")
    return int(match.group(1))


class ChangeQuerySerializer(QuerySerializer):
    cursor = serializers.CharField(
        required=False,
        max_length=40,
        help_text="The nextCursor of the previous answer; leave out to start at the oldest change kept "
        "(copy the lists first: changes past the retention are gone).",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"Changes to return, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )
    resources = CsvField(help_text="Only these resources (comma separated), e.g. registrations,checkins.")


class ChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sequence = serializers.IntegerField(help_text="The change's place in the feed; increases in commit order.")
    resource = serializers.CharField(help_text="The collection the row belongs to: events, registrations, checkins...")
    id = serializers.CharField(help_text="The row's id.")
    action = serializers.ChoiceField(
        choices=[changes.UPSERT, changes.DELETE], help_text="upsert: read the row again; delete: drop it."
    )
    changed_at = serializers.DateTimeField()


class ChangePageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    data = ChangeSerializer(many=True)  # type: ignore[assignment]  # the field, not Serializer.data
    next_cursor = serializers.CharField(help_text="Keep it and ask again from it (also when data is empty).")
    has_more = serializers.BooleanField(help_text="More changes follow now: ask again at once.")


class ChangeViewSet(ApiViewSet):
    """The change feed: creates, updates and deletes in commit order, behind a cursor."""

    READ_FORMATS: dict[str, Any] = {}

    # Not "list": the document would describe a list action's answer as pages of ChangePage.
    @extend_schema(
        parameters=[ChangeQuerySerializer],
        responses={
            200: ChangePageSerializer,
            410: OpenApiResponse(
                description="CHANGE_CURSOR_EXPIRED: changes after the cursor are past the retention and were deleted; "
                "copy the lists again and read without a cursor"
            ),
        },
    )
    def feed(self, request: Request) -> Response:
        query = self.parse_query(ChangeQuerySerializer)
        readable = sorted(name for name, permission in changes.resources().items() if self.auth.can(permission))
        wanted = query.get("resources")
        if wanted:
            unknown = sorted(set(wanted) - set(changes.resources()))
            if unknown:
                raise ApiError(
                    codes.VALIDATION_ERROR,
                    f"Unknown resource {unknown[0]!r}",
                    details=f"The feed lists: {', '.join(sorted(changes.resources()))}.",
                    target="resources",
                )
            readable = [name for name in readable if name in wanted]
        after = decode_cursor(query["cursor"]) if query.get("cursor") else None
        rows, more, after = changes.feed(
            self.auth.organization.pk, after=after, limit=query.get("limit", DEFAULT_LIMIT), resources=readable
        )
        last = rows[-1].sequence if rows else after
        assert last is not None
        data = [
            {
                "sequence": r.sequence,
                "resource": r.resource,
                "id": r.object_id,
                "action": r.action,
                "changed_at": iso(r.changed_at),
            }
            for r in rows
        ]
        return Response({"data": data, "next_cursor": encode_cursor(last), "has_more": more})
