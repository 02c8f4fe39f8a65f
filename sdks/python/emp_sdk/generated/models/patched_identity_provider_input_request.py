from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.protocol_enum import ProtocolEnum
from ..models.role_enum import RoleEnum
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.role_mapping_request import RoleMappingRequest





T = TypeVar("T", bound="PatchedIdentityProviderInputRequest")



@_attrs_define
class PatchedIdentityProviderInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            allow_idp_initiated (bool | Unset):
            client_id (str | Unset):
            client_secret (str | Unset): Stored encrypted.
            default_role (RoleEnum | Unset): * `owner` - Owner
                * `admin` - Admin
                * `editor` - Editor
                * `finance` - Finance
                * `checkin` - Check-in staff
                * `viewer` - Viewer
            email_attribute (str | Unset):
            enabled (bool | Unset):
            first_name_attribute (str | Unset):
            groups_attribute (str | Unset):
            idp_entity_id (str | Unset):
            issuer (str | Unset):
            jit_provisioning (bool | Unset):
            last_name_attribute (str | Unset):
            metadata_url (str | Unset): SAML: the https URL the IdP publishes its metadata at; read now (and again on each
                update naming it), filling entity id, URLs, certificates. Empty stops reading it.
            metadata_xml (str | Unset): SAML: the IdP's metadata document; fills entity id, URLs, certificates.
            name (str | Unset):
            protocol (ProtocolEnum | Unset): * `saml` - SAML 2.0
                * `oidc` - OpenID Connect
            role_mappings (list[RoleMappingRequest] | Unset):
            signing_certificates (list[str] | Unset): PEM or base64 DER.
            slo_url (str | Unset):
            sso_url (str | Unset):
     """

    allow_idp_initiated: bool | Unset = UNSET
    client_id: str | Unset = UNSET
    client_secret: str | Unset = UNSET
    default_role: RoleEnum | Unset = UNSET
    email_attribute: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    first_name_attribute: str | Unset = UNSET
    groups_attribute: str | Unset = UNSET
    idp_entity_id: str | Unset = UNSET
    issuer: str | Unset = UNSET
    jit_provisioning: bool | Unset = UNSET
    last_name_attribute: str | Unset = UNSET
    metadata_url: str | Unset = UNSET
    metadata_xml: str | Unset = UNSET
    name: str | Unset = UNSET
    protocol: ProtocolEnum | Unset = UNSET
    role_mappings: list[RoleMappingRequest] | Unset = UNSET
    signing_certificates: list[str] | Unset = UNSET
    slo_url: str | Unset = UNSET
    sso_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.role_mapping_request import RoleMappingRequest # noqa: PLC0415
        allow_idp_initiated = self.allow_idp_initiated

        client_id = self.client_id

        client_secret = self.client_secret

        default_role: str | Unset = UNSET
        if not isinstance(self.default_role, Unset):
            default_role = self.default_role.value


        email_attribute = self.email_attribute

        enabled = self.enabled

        first_name_attribute = self.first_name_attribute

        groups_attribute = self.groups_attribute

        idp_entity_id = self.idp_entity_id

        issuer = self.issuer

        jit_provisioning = self.jit_provisioning

        last_name_attribute = self.last_name_attribute

        metadata_url: str | Unset
        if isinstance(self.metadata_url, Unset):
            metadata_url = UNSET
        else:
            metadata_url = self.metadata_url

        metadata_xml = self.metadata_xml

        name = self.name

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value


        role_mappings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.role_mappings, Unset):
            role_mappings = []
            for role_mappings_item_data in self.role_mappings:
                role_mappings_item = role_mappings_item_data.to_dict()
                role_mappings.append(role_mappings_item)



        signing_certificates: list[str] | Unset = UNSET
        if not isinstance(self.signing_certificates, Unset):
            signing_certificates = self.signing_certificates



        slo_url: str | Unset
        if isinstance(self.slo_url, Unset):
            slo_url = UNSET
        else:
            slo_url = self.slo_url

        sso_url = self.sso_url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if allow_idp_initiated is not UNSET:
            field_dict["allowIdpInitiated"] = allow_idp_initiated
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if client_secret is not UNSET:
            field_dict["clientSecret"] = client_secret
        if default_role is not UNSET:
            field_dict["defaultRole"] = default_role
        if email_attribute is not UNSET:
            field_dict["emailAttribute"] = email_attribute
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if first_name_attribute is not UNSET:
            field_dict["firstNameAttribute"] = first_name_attribute
        if groups_attribute is not UNSET:
            field_dict["groupsAttribute"] = groups_attribute
        if idp_entity_id is not UNSET:
            field_dict["idpEntityId"] = idp_entity_id
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if jit_provisioning is not UNSET:
            field_dict["jitProvisioning"] = jit_provisioning
        if last_name_attribute is not UNSET:
            field_dict["lastNameAttribute"] = last_name_attribute
        if metadata_url is not UNSET:
            field_dict["metadataUrl"] = metadata_url
        if metadata_xml is not UNSET:
            field_dict["metadataXml"] = metadata_xml
        if name is not UNSET:
            field_dict["name"] = name
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if role_mappings is not UNSET:
            field_dict["roleMappings"] = role_mappings
        if signing_certificates is not UNSET:
            field_dict["signingCertificates"] = signing_certificates
        if slo_url is not UNSET:
            field_dict["sloUrl"] = slo_url
        if sso_url is not UNSET:
            field_dict["ssoUrl"] = sso_url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.role_mapping_request import RoleMappingRequest # noqa: PLC0415
        d = dict(src_dict)
        allow_idp_initiated = d.pop("allowIdpInitiated", UNSET)

        client_id = d.pop("clientId", UNSET)

        client_secret = d.pop("clientSecret", UNSET)

        _default_role = d.pop("defaultRole", UNSET)
        default_role: RoleEnum | Unset
        if isinstance(_default_role,  Unset):
            default_role = UNSET
        else:
            default_role = RoleEnum(_default_role)




        email_attribute = d.pop("emailAttribute", UNSET)

        enabled = d.pop("enabled", UNSET)

        first_name_attribute = d.pop("firstNameAttribute", UNSET)

        groups_attribute = d.pop("groupsAttribute", UNSET)

        idp_entity_id = d.pop("idpEntityId", UNSET)

        issuer = d.pop("issuer", UNSET)

        jit_provisioning = d.pop("jitProvisioning", UNSET)

        last_name_attribute = d.pop("lastNameAttribute", UNSET)

        def _parse_metadata_url(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        metadata_url = _parse_metadata_url(d.pop("metadataUrl", UNSET))


        metadata_xml = d.pop("metadataXml", UNSET)

        name = d.pop("name", UNSET)

        _protocol = d.pop("protocol", UNSET)
        protocol: ProtocolEnum | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = ProtocolEnum(_protocol)




        _role_mappings = d.pop("roleMappings", UNSET)
        role_mappings: list[RoleMappingRequest] | Unset = UNSET
        if _role_mappings is not UNSET:
            role_mappings = []
            for role_mappings_item_data in _role_mappings:
                role_mappings_item = RoleMappingRequest.from_dict(role_mappings_item_data)



                role_mappings.append(role_mappings_item)


        signing_certificates = cast(list[str], d.pop("signingCertificates", UNSET))


        def _parse_slo_url(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        slo_url = _parse_slo_url(d.pop("sloUrl", UNSET))


        sso_url = d.pop("ssoUrl", UNSET)

        patched_identity_provider_input_request = cls(
            allow_idp_initiated=allow_idp_initiated,
            client_id=client_id,
            client_secret=client_secret,
            default_role=default_role,
            email_attribute=email_attribute,
            enabled=enabled,
            first_name_attribute=first_name_attribute,
            groups_attribute=groups_attribute,
            idp_entity_id=idp_entity_id,
            issuer=issuer,
            jit_provisioning=jit_provisioning,
            last_name_attribute=last_name_attribute,
            metadata_url=metadata_url,
            metadata_xml=metadata_xml,
            name=name,
            protocol=protocol,
            role_mappings=role_mappings,
            signing_certificates=signing_certificates,
            slo_url=slo_url,
            sso_url=sso_url,
        )


        patched_identity_provider_input_request.additional_properties = d
        return patched_identity_provider_input_request

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
