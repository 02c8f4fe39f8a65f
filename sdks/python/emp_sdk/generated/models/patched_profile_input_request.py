from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.preferences_request import PreferencesRequest





T = TypeVar("T", bound="PatchedProfileInputRequest")



@_attrs_define
class PatchedProfileInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            communication_preferences (PreferencesRequest | Unset): Base for request bodies: plain fields, strict about
                unknown keys, never saves.
            locale (str | Unset):
            name (str | Unset):
            time_zone (str | Unset):
     """

    communication_preferences: PreferencesRequest | Unset = UNSET
    locale: str | Unset = UNSET
    name: str | Unset = UNSET
    time_zone: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.preferences_request import PreferencesRequest # noqa: PLC0415
        communication_preferences: dict[str, Any] | Unset = UNSET
        if not isinstance(self.communication_preferences, Unset):
            communication_preferences = self.communication_preferences.to_dict()

        locale = self.locale

        name = self.name

        time_zone = self.time_zone


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if communication_preferences is not UNSET:
            field_dict["communicationPreferences"] = communication_preferences
        if locale is not UNSET:
            field_dict["locale"] = locale
        if name is not UNSET:
            field_dict["name"] = name
        if time_zone is not UNSET:
            field_dict["timeZone"] = time_zone

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences_request import PreferencesRequest # noqa: PLC0415
        d = dict(src_dict)
        _communication_preferences = d.pop("communicationPreferences", UNSET)
        communication_preferences: PreferencesRequest | Unset
        if isinstance(_communication_preferences,  Unset):
            communication_preferences = UNSET
        else:
            communication_preferences = PreferencesRequest.from_dict(_communication_preferences)




        locale = d.pop("locale", UNSET)

        name = d.pop("name", UNSET)

        time_zone = d.pop("timeZone", UNSET)

        patched_profile_input_request = cls(
            communication_preferences=communication_preferences,
            locale=locale,
            name=name,
            time_zone=time_zone,
        )


        patched_profile_input_request.additional_properties = d
        return patched_profile_input_request

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
