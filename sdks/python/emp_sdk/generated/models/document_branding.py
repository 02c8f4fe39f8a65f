from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="DocumentBranding")



@_attrs_define
class DocumentBranding:
    """ How the organization's PDF documents look (tickets, certificates, invoices).

        Attributes:
            accent_colour (str): `#RRGGBB`: rules and table headers.
            footer (str): The line at the foot of every page; the organization's name when empty.
            logo_bytes (int): The logo's size in bytes (0 without one).
            logo_type (None | str): `image/png` or `image/jpeg`; null without a logo.
            primary_colour (str): `#RRGGBB`: the header band and headings.
     """

    accent_colour: str
    footer: str
    logo_bytes: int
    logo_type: None | str
    primary_colour: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        accent_colour = self.accent_colour

        footer = self.footer

        logo_bytes = self.logo_bytes

        logo_type: None | str
        logo_type = self.logo_type

        primary_colour = self.primary_colour


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accentColour": accent_colour,
            "footer": footer,
            "logoBytes": logo_bytes,
            "logoType": logo_type,
            "primaryColour": primary_colour,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accent_colour = d.pop("accentColour")

        footer = d.pop("footer")

        logo_bytes = d.pop("logoBytes")

        def _parse_logo_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        logo_type = _parse_logo_type(d.pop("logoType"))


        primary_colour = d.pop("primaryColour")

        document_branding = cls(
            accent_colour=accent_colour,
            footer=footer,
            logo_bytes=logo_bytes,
            logo_type=logo_type,
            primary_colour=primary_colour,
        )


        document_branding.additional_properties = d
        return document_branding

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
