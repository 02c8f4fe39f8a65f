from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ServiceProvider")



@_attrs_define
class ServiceProvider:
    """ What to enter at the IdP: the platform as the SAML service provider of this provider.

        Attributes:
            acs_url (str): Assertion Consumer Service (HTTP-POST).
            certificates (list[str]): The platform's signing certificates (base64 DER), the active one first.
            entity_id (str): The SP entity id (also the metadata URL).
            metadata_url (str):
            sls_url (str): Single Logout Service (HTTP-Redirect).
     """

    acs_url: str
    certificates: list[str]
    entity_id: str
    metadata_url: str
    sls_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        acs_url = self.acs_url

        certificates = self.certificates



        entity_id = self.entity_id

        metadata_url = self.metadata_url

        sls_url = self.sls_url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "acsUrl": acs_url,
            "certificates": certificates,
            "entityId": entity_id,
            "metadataUrl": metadata_url,
            "slsUrl": sls_url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        acs_url = d.pop("acsUrl")

        certificates = cast(list[str], d.pop("certificates"))


        entity_id = d.pop("entityId")

        metadata_url = d.pop("metadataUrl")

        sls_url = d.pop("slsUrl")

        service_provider = cls(
            acs_url=acs_url,
            certificates=certificates,
            entity_id=entity_id,
            metadata_url=metadata_url,
            sls_url=sls_url,
        )


        service_provider.additional_properties = d
        return service_provider

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
