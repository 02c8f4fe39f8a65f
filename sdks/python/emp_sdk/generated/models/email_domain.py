from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="EmailDomain")



@_attrs_define
class EmailDomain:
    """ 
        Attributes:
            created_at (datetime.datetime):
            domain (str):
            id (UUID):
            identity_provider (None | UUID):
            updated_at (datetime.datetime):
            verification_token (str):
            verification_url (str): Publish `verificationToken` here, then verify.
            verified (bool):
            verified_at (datetime.datetime | None):
     """

    created_at: datetime.datetime
    domain: str
    id: UUID
    identity_provider: None | UUID
    updated_at: datetime.datetime
    verification_token: str
    verification_url: str
    verified: bool
    verified_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        domain = self.domain

        id = str(self.id)

        identity_provider: None | str
        if isinstance(self.identity_provider, UUID):
            identity_provider = str(self.identity_provider)
        else:
            identity_provider = self.identity_provider

        updated_at = self.updated_at.isoformat()

        verification_token = self.verification_token

        verification_url = self.verification_url

        verified = self.verified

        verified_at: None | str
        if isinstance(self.verified_at, datetime.datetime):
            verified_at = self.verified_at.isoformat()
        else:
            verified_at = self.verified_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "domain": domain,
            "id": id,
            "identityProvider": identity_provider,
            "updatedAt": updated_at,
            "verificationToken": verification_token,
            "verificationUrl": verification_url,
            "verified": verified,
            "verifiedAt": verified_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        domain = d.pop("domain")

        id = UUID(d.pop("id"))




        def _parse_identity_provider(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                identity_provider_type_0 = UUID(data)



                return identity_provider_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        identity_provider = _parse_identity_provider(d.pop("identityProvider"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        verification_token = d.pop("verificationToken")

        verification_url = d.pop("verificationUrl")

        verified = d.pop("verified")

        def _parse_verified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_at_type_0 = datetime.datetime.fromisoformat(data)



                return verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        verified_at = _parse_verified_at(d.pop("verifiedAt"))


        email_domain = cls(
            created_at=created_at,
            domain=domain,
            id=id,
            identity_provider=identity_provider,
            updated_at=updated_at,
            verification_token=verification_token,
            verification_url=verification_url,
            verified=verified,
            verified_at=verified_at,
        )


        email_domain.additional_properties = d
        return email_domain

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
