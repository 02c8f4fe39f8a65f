"""Serializer bases shared by every app's API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import errors as codes


class StrictInputMixin:
    """Reject fields the serializer does not know, instead of silently dropping them.

    Read-only fields of the resource's representation are tolerated so that a
    client may send back what it read.
    """

    tolerated_read_only: tuple[str, ...] = ("id", "created_at", "updated_at")

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            known = set(self.fields) | set(self.tolerated_read_only)  # type: ignore[attr-defined]
            unknown = sorted(k for k in data.keys() if k not in known)
            if unknown:
                raise serializers.ValidationError(
                    {
                        k: [serializers.ErrorDetail("This field is not part of the resource.", code=codes.UNKNOWN_FIELD.code)]
                        for k in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class InputSerializer(StrictInputMixin, serializers.Serializer):  # type: ignore[type-arg]
    """Base for request bodies: plain fields, strict about unknown keys, never saves."""

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - services write
        raise NotImplementedError("input serializers do not write; call a service")

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError("input serializers do not write; call a service")


class QuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Base for query-parameter filters. A list's filter serializer names its selector's filter object as
    ``filter_class``; parameters the operation does not declare are refused before it runs (api.parameters)."""


class ZoneField(serializers.CharField):
    """An IANA time zone name such as ``Europe/Berlin``."""

    default_error_messages = {"invalid_zone": "Unknown time zone {value}; use an IANA name such as Europe/Berlin."}

    def to_internal_value(self, data: Any) -> str:
        import zoneinfo

        value = super().to_internal_value(data)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.fail("invalid_zone", value=value)
        return value


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry a UTC offset (``Z`` or ``+01:00``)."""

    default_error_messages = {
        "naive": "Give the UTC offset, for example 2026-05-04T09:00:00+02:00 or 2026-05-04T07:00:00Z.",
    }

    def to_internal_value(self, value: Any) -> Any:
        from django.utils.dateparse import parse_datetime

        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class TenantPrimaryKeyField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A primary key that resolves only within the caller's organization (``context["organization"]``).

    ``scope`` maps the organization to the queryset to look in; another
    tenant's id is reported exactly like an id that does not exist.
    """

    def __init__(self, scope: Any, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("pk_field", serializers.UUIDField())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        organization = self.context.get("organization")
        if organization is None:  # schema generation
            return self.scope(None)
        return self.scope(organization)


@extend_schema_field({"type": "string", "description": "One value, or several separated by commas."})
class CsvField(serializers.Field):  # type: ignore[type-arg]
    """``status=draft,published`` (or the parameter repeated) -> list, each checked against ``choices``."""

    def __init__(self, choices: Any = None, **kwargs: Any) -> None:
        self.choices = [c[0] for c in choices] if choices else None
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        values = [v.strip() for v in str(data).split(",") if v.strip()]
        if self.choices is not None:
            bad = [v for v in values if v not in self.choices]
            if bad:
                raise serializers.ValidationError(
                    f"Unknown value {', '.join(bad)}; use {', '.join(self.choices)}.", code="invalid_choice"
                )
        return values

    def to_representation(self, value: Any) -> Any:
        return value
