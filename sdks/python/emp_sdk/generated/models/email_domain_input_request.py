from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="EmailDomainInputRequest")



@_attrs_define
class EmailDomainInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            domain (str): An email domain, such as `acme.example`.
            identity_provider (None | Unset | UUID):
     """

    domain: str
    identity_provider: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        identity_provider: None | str | Unset
        if isinstance(self.identity_provider, Unset):
            identity_provider = UNSET
        elif isinstance(self.identity_provider, UUID):
            identity_provider = str(self.identity_provider)
        else:
            identity_provider = self.identity_provider


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "domain": domain,
        })
        if identity_provider is not UNSET:
            field_dict["identityProvider"] = identity_provider

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        domain = d.pop("domain")

        def _parse_identity_provider(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                identity_provider_type_0 = UUID(data)



                return identity_provider_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        identity_provider = _parse_identity_provider(d.pop("identityProvider", UNSET))


        email_domain_input_request = cls(
            domain=domain,
            identity_provider=identity_provider,
        )


        email_domain_input_request.additional_properties = d
        return email_domain_input_request

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
