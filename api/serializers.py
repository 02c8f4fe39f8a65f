"""Serializer bases shared by every app's API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import errors as codes


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "an object" if isinstance(value, dict) else "an array" if isinstance(value, list) else "a value of another type"


def type_errors(field: serializers.Field, value: Any) -> Any:  # type: ignore[type-arg]
    """What DRF would coerce silently: a JSON number or boolean where the schema says string (``str(5)``),
    or a number as an id (``UUID(int=5)``). None when ``value``'s JSON type is the field's."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        found = {i: e for i, item in enumerate(value) if (e := type_errors(field.child, item)) is not None}
        return found or None
    if isinstance(field, serializers.UUIDField) or (
        isinstance(field, serializers.PrimaryKeyRelatedField) and isinstance(field.pk_field, serializers.UUIDField)
    ):
        return [serializers.ErrorDetail(f"Expected an id (a UUID string), not {_json_kind(value)}.", code="invalid")]
    if isinstance(field, serializers.CharField):
        return [serializers.ErrorDetail(f"Expected a string, not {_json_kind(value)}.", code="invalid")]
    return None


class StrictInputMixin:
    """Reject fields the serializer does not know, instead of silently dropping them, and values whose
    JSON type is not the field's (a number for a string or an id); report them with every other
    invalid field at once.

    Read-only fields of the resource's representation are tolerated so that a
    client may send back what it read.
    """

    tolerated_read_only: tuple[str, ...] = ("id", "created_at", "updated_at")

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if hasattr(data, "keys"):
            known = set(self.fields) | set(self.tolerated_read_only)  # type: ignore[attr-defined]
            for key in sorted(k for k in data.keys() if k not in known):
                errors[key] = [serializers.ErrorDetail("This field is not part of the resource.", code=codes.UNKNOWN_FIELD.code)]
        if isinstance(data, dict):  # JSON; form fields are all text
            for name, field in self.fields.items():  # type: ignore[attr-defined]
                if name in data and not field.read_only and (found := type_errors(field, data[name])) is not None:
                    errors[name] = found
        try:
            value = super().to_internal_value(data)  # type: ignore[misc]
        except serializers.ValidationError as exc:
            if not errors or not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**exc.detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value


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
        "impossible": "{value} is not a date and time that exists (check the day of the month, the hour and the minute).",
    }

    def to_internal_value(self, value: Any) -> Any:
        from django.utils.dateparse import parse_datetime

        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:  # well formed, but February 30th or 25:00
                self.fail("impossible", value=value.strip()[:40])
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)  # DRF answers "overflow" for 0001-01-01T00:00+01:00


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
