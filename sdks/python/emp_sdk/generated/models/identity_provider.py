from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.protocol_enum import ProtocolEnum
from ..models.role_enum import RoleEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.role_mapping import RoleMapping
  from ..models.service_provider import ServiceProvider





T = TypeVar("T", bound="IdentityProvider")



@_attrs_define
class IdentityProvider:
    """ 
        Attributes:
            allow_idp_initiated (bool): Accept unsolicited responses (sign-in started from the IdP's dashboard).
            client_id (str):
            created_at (datetime.datetime):
            default_role (RoleEnum): * `owner` - Owner
                * `admin` - Admin
                * `editor` - Editor
                * `finance` - Finance
                * `checkin` - Check-in staff
                * `viewer` - Viewer
            email_attribute (str):
            enabled (bool):
            first_name_attribute (str):
            groups_attribute (str):
            has_client_secret (bool):
            id (UUID):
            idp_entity_id (str):
            issuer (None | str):
            jit_provisioning (bool): Create users and memberships at their first sign-in.
            last_name_attribute (str):
            metadata_fetched_at (datetime.datetime | None):
            metadata_url (None | str): Where the IdP's metadata is read from.
            name (str):
            protocol (ProtocolEnum): * `saml` - SAML 2.0
                * `oidc` - OpenID Connect
            role_mappings (list[RoleMapping]):
            service_provider (None | ServiceProvider):
            signing_certificates (Any):
            slo_url (None | str):
            sso_url (None | str):
            updated_at (datetime.datetime):
     """

    allow_idp_initiated: bool
    client_id: str
    created_at: datetime.datetime
    default_role: RoleEnum
    email_attribute: str
    enabled: bool
    first_name_attribute: str
    groups_attribute: str
    has_client_secret: bool
    id: UUID
    idp_entity_id: str
    issuer: None | str
    jit_provisioning: bool
    last_name_attribute: str
    metadata_fetched_at: datetime.datetime | None
    metadata_url: None | str
    name: str
    protocol: ProtocolEnum
    role_mappings: list[RoleMapping]
    service_provider: None | ServiceProvider
    signing_certificates: Any
    slo_url: None | str
    sso_url: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.role_mapping import RoleMapping # noqa: PLC0415
        from ..models.service_provider import ServiceProvider # noqa: PLC0415
        allow_idp_initiated = self.allow_idp_initiated

        client_id = self.client_id

        created_at = self.created_at.isoformat()

        default_role = self.default_role.value

        email_attribute = self.email_attribute

        enabled = self.enabled

        first_name_attribute = self.first_name_attribute

        groups_attribute = self.groups_attribute

        has_client_secret = self.has_client_secret

        id = str(self.id)

        idp_entity_id = self.idp_entity_id

        issuer: None | str
        issuer = self.issuer

        jit_provisioning = self.jit_provisioning

        last_name_attribute = self.last_name_attribute

        metadata_fetched_at: None | str
        if isinstance(self.metadata_fetched_at, datetime.datetime):
            metadata_fetched_at = self.metadata_fetched_at.isoformat()
        else:
            metadata_fetched_at = self.metadata_fetched_at

        metadata_url: None | str
        metadata_url = self.metadata_url

        name = self.name

        protocol = self.protocol.value

        role_mappings = []
        for role_mappings_item_data in self.role_mappings:
            role_mappings_item = role_mappings_item_data.to_dict()
            role_mappings.append(role_mappings_item)



        service_provider: dict[str, Any] | None
        if isinstance(self.service_provider, ServiceProvider):
            service_provider = self.service_provider.to_dict()
        else:
            service_provider = self.service_provider

        signing_certificates = self.signing_certificates

        slo_url: None | str
        slo_url = self.slo_url

        sso_url: None | str
        sso_url = self.sso_url

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "allowIdpInitiated": allow_idp_initiated,
            "clientId": client_id,
            "createdAt": created_at,
            "defaultRole": default_role,
            "emailAttribute": email_attribute,
            "enabled": enabled,
            "firstNameAttribute": first_name_attribute,
            "groupsAttribute": groups_attribute,
            "hasClientSecret": has_client_secret,
            "id": id,
            "idpEntityId": idp_entity_id,
            "issuer": issuer,
            "jitProvisioning": jit_provisioning,
            "lastNameAttribute": last_name_attribute,
            "metadataFetchedAt": metadata_fetched_at,
            "metadataUrl": metadata_url,
            "name": name,
            "protocol": protocol,
            "roleMappings": role_mappings,
            "serviceProvider": service_provider,
            "signingCertificates": signing_certificates,
            "sloUrl": slo_url,
            "ssoUrl": sso_url,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.role_mapping import RoleMapping # noqa: PLC0415
        from ..models.service_provider import ServiceProvider # noqa: PLC0415
        d = dict(src_dict)
        allow_idp_initiated = d.pop("allowIdpInitiated")

        client_id = d.pop("clientId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        default_role = RoleEnum(d.pop("defaultRole"))




        email_attribute = d.pop("emailAttribute")

        enabled = d.pop("enabled")

        first_name_attribute = d.pop("firstNameAttribute")

        groups_attribute = d.pop("groupsAttribute")

        has_client_secret = d.pop("hasClientSecret")

        id = UUID(d.pop("id"))




        idp_entity_id = d.pop("idpEntityId")

        def _parse_issuer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        issuer = _parse_issuer(d.pop("issuer"))


        jit_provisioning = d.pop("jitProvisioning")

        last_name_attribute = d.pop("lastNameAttribute")

        def _parse_metadata_fetched_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                metadata_fetched_at_type_0 = datetime.datetime.fromisoformat(data)



                return metadata_fetched_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        metadata_fetched_at = _parse_metadata_fetched_at(d.pop("metadataFetchedAt"))


        def _parse_metadata_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        metadata_url = _parse_metadata_url(d.pop("metadataUrl"))


        name = d.pop("name")

        protocol = ProtocolEnum(d.pop("protocol"))




        role_mappings = []
        _role_mappings = d.pop("roleMappings")
        for role_mappings_item_data in (_role_mappings):
            role_mappings_item = RoleMapping.from_dict(role_mappings_item_data)



            role_mappings.append(role_mappings_item)


        def _parse_service_provider(data: object) -> None | ServiceProvider:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_provider_type_0 = ServiceProvider.from_dict(data)



                return service_provider_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceProvider, data)

        service_provider = _parse_service_provider(d.pop("serviceProvider"))


        signing_certificates = d.pop("signingCertificates")

        def _parse_slo_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        slo_url = _parse_slo_url(d.pop("sloUrl"))


        def _parse_sso_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sso_url = _parse_sso_url(d.pop("ssoUrl"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        identity_provider = cls(
            allow_idp_initiated=allow_idp_initiated,
            client_id=client_id,
            created_at=created_at,
            default_role=default_role,
            email_attribute=email_attribute,
            enabled=enabled,
            first_name_attribute=first_name_attribute,
            groups_attribute=groups_attribute,
            has_client_secret=has_client_secret,
            id=id,
            idp_entity_id=idp_entity_id,
            issuer=issuer,
            jit_provisioning=jit_provisioning,
            last_name_attribute=last_name_attribute,
            metadata_fetched_at=metadata_fetched_at,
            metadata_url=metadata_url,
            name=name,
            protocol=protocol,
            role_mappings=role_mappings,
            service_provider=service_provider,
            signing_certificates=signing_certificates,
            slo_url=slo_url,
            sso_url=sso_url,
            updated_at=updated_at,
        )


        identity_provider.additional_properties = d
        return identity_provider

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
