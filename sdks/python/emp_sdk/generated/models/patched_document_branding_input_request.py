from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PatchedDocumentBrandingInputRequest")



@_attrs_define
class PatchedDocumentBrandingInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            accent_colour (str | Unset):
            footer (str | Unset):
            logo (None | str | Unset): The logo, PNG or JPEG, base64-encoded, at most 256 KB; null removes it.
            primary_colour (str | Unset):
     """

    accent_colour: str | Unset = UNSET
    footer: str | Unset = UNSET
    logo: None | str | Unset = UNSET
    primary_colour: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        accent_colour = self.accent_colour

        footer = self.footer

        logo: None | str | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        else:
            logo = self.logo

        primary_colour = self.primary_colour


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if accent_colour is not UNSET:
            field_dict["accentColour"] = accent_colour
        if footer is not UNSET:
            field_dict["footer"] = footer
        if logo is not UNSET:
            field_dict["logo"] = logo
        if primary_colour is not UNSET:
            field_dict["primaryColour"] = primary_colour

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accent_colour = d.pop("accentColour", UNSET)

        footer = d.pop("footer", UNSET)

        def _parse_logo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo = _parse_logo(d.pop("logo", UNSET))


        primary_colour = d.pop("primaryColour", UNSET)

        patched_document_branding_input_request = cls(
            accent_colour=accent_colour,
            footer=footer,
            logo=logo,
            primary_colour=primary_colour,
        )


        patched_document_branding_input_request.additional_properties = d
        return patched_document_branding_input_request

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
