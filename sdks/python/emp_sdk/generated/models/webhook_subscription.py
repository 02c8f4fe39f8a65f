from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.blank_enum import BlankEnum
from ..models.webhook_disabled_reason_enum import WebhookDisabledReasonEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="WebhookSubscription")



@_attrs_define
class WebhookSubscription:
    """ 
        Attributes:
            created_at (datetime.datetime):
            created_by (str):
            description (str):
            disabled_reason (BlankEnum | WebhookDisabledReasonEnum):
            enabled (bool):
            event_id (None | UUID):
            event_types (list[str]):
            failing_since (datetime.datetime | None):
            id (UUID):
            previous_secret_expires_at (datetime.datetime | None): While set, requests carry a signature with the previous
                secret too.
            rate_limit (int | None):
            updated_at (datetime.datetime):
            url (str):
     """

    created_at: datetime.datetime
    created_by: str
    description: str
    disabled_reason: BlankEnum | WebhookDisabledReasonEnum
    enabled: bool
    event_id: None | UUID
    event_types: list[str]
    failing_since: datetime.datetime | None
    id: UUID
    previous_secret_expires_at: datetime.datetime | None
    rate_limit: int | None
    updated_at: datetime.datetime
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        description = self.description

        disabled_reason: str
        if isinstance(self.disabled_reason, WebhookDisabledReasonEnum):
            disabled_reason = self.disabled_reason.value
        else:
            disabled_reason = self.disabled_reason.value


        enabled = self.enabled

        event_id: None | str
        if isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        event_types = self.event_types



        failing_since: None | str
        if isinstance(self.failing_since, datetime.datetime):
            failing_since = self.failing_since.isoformat()
        else:
            failing_since = self.failing_since

        id = str(self.id)

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        rate_limit: int | None
        rate_limit = self.rate_limit

        updated_at = self.updated_at.isoformat()

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "createdBy": created_by,
            "description": description,
            "disabledReason": disabled_reason,
            "enabled": enabled,
            "eventId": event_id,
            "eventTypes": event_types,
            "failingSince": failing_since,
            "id": id,
            "previousSecretExpiresAt": previous_secret_expires_at,
            "rateLimit": rate_limit,
            "updatedAt": updated_at,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        description = d.pop("description")

        def _parse_disabled_reason(data: object) -> BlankEnum | WebhookDisabledReasonEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_reason_type_0 = WebhookDisabledReasonEnum(data)



                return disabled_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            disabled_reason_type_1 = BlankEnum(data)



            return disabled_reason_type_1

        disabled_reason = _parse_disabled_reason(d.pop("disabledReason"))


        enabled = d.pop("enabled")

        def _parse_event_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        event_id = _parse_event_id(d.pop("eventId"))


        event_types = cast(list[str], d.pop("eventTypes"))


        def _parse_failing_since(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failing_since_type_0 = datetime.datetime.fromisoformat(data)



                return failing_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        failing_since = _parse_failing_since(d.pop("failingSince"))


        id = UUID(d.pop("id"))




        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previousSecretExpiresAt"))


        def _parse_rate_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rate_limit = _parse_rate_limit(d.pop("rateLimit"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        url = d.pop("url")

        webhook_subscription = cls(
            created_at=created_at,
            created_by=created_by,
            description=description,
            disabled_reason=disabled_reason,
            enabled=enabled,
            event_id=event_id,
            event_types=event_types,
            failing_since=failing_since,
            id=id,
            previous_secret_expires_at=previous_secret_expires_at,
            rate_limit=rate_limit,
            updated_at=updated_at,
            url=url,
        )


        webhook_subscription.additional_properties = d
        return webhook_subscription

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
