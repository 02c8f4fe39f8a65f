from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PatchedWebhookSubscriptionInputRequest")



@_attrs_define
class PatchedWebhookSubscriptionInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            description (str | Unset):
            enabled (bool | Unset):
            event_id (None | Unset | UUID): Only changes about this event (and its resources).
            event_types (list[str] | Unset): Types of the catalog (`registration.created`) or families (`registration.*`).
            rate_limit (int | None | Unset): Deliveries per second at most.
            url (str | Unset): https:// address that receives the POST requests.
     """

    description: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    event_id: None | Unset | UUID = UNSET
    event_types: list[str] | Unset = UNSET
    rate_limit: int | None | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        enabled = self.enabled

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        elif isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = self.event_types



        rate_limit: int | None | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if event_types is not UNSET:
            field_dict["eventTypes"] = event_types
        if rate_limit is not UNSET:
            field_dict["rateLimit"] = rate_limit
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        def _parse_event_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        event_id = _parse_event_id(d.pop("eventId", UNSET))


        event_types = cast(list[str], d.pop("eventTypes", UNSET))


        def _parse_rate_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rateLimit", UNSET))


        url = d.pop("url", UNSET)

        patched_webhook_subscription_input_request = cls(
            description=description,
            enabled=enabled,
            event_id=event_id,
            event_types=event_types,
            rate_limit=rate_limit,
            url=url,
        )


        patched_webhook_subscription_input_request.additional_properties = d
        return patched_webhook_subscription_input_request

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
