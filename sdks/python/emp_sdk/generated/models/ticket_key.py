from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.alg_enum import AlgEnum
from ..models.crv_enum import CrvEnum
from ..models.kty_enum import KtyEnum
from ..models.ticket_key_status_enum import TicketKeyStatusEnum
from ..models.use_enum import UseEnum
from typing import cast
import datetime






T = TypeVar("T", bound="TicketKey")



@_attrs_define
class TicketKey:
    """ A public key that verifies ticket QR codes, as a JSON Web Key (RFC 8037).

        Attributes:
            alg (AlgEnum): * `EdDSA` - EdDSA
            crv (CrvEnum): * `Ed25519` - Ed25519
            kid (str):
            kty (KtyEnum): * `OKP` - OKP
            retired_at (datetime.datetime | None):
            status (TicketKeyStatusEnum): * `current` - current
                * `retired` - retired
            use (UseEnum): * `sig` - sig
            valid_until (datetime.datetime | None): A retired key verifies the tickets it signed until then (their events'
                check-in closes).
            x (str): The raw public key, base64url without padding.
     """

    alg: AlgEnum
    crv: CrvEnum
    kid: str
    kty: KtyEnum
    retired_at: datetime.datetime | None
    status: TicketKeyStatusEnum
    use: UseEnum
    valid_until: datetime.datetime | None
    x: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        alg = self.alg.value

        crv = self.crv.value

        kid = self.kid

        kty = self.kty.value

        retired_at: None | str
        if isinstance(self.retired_at, datetime.datetime):
            retired_at = self.retired_at.isoformat()
        else:
            retired_at = self.retired_at

        status = self.status.value

        use = self.use.value

        valid_until: None | str
        if isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        x = self.x


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "alg": alg,
            "crv": crv,
            "kid": kid,
            "kty": kty,
            "retiredAt": retired_at,
            "status": status,
            "use": use,
            "validUntil": valid_until,
            "x": x,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alg = AlgEnum(d.pop("alg"))




        crv = CrvEnum(d.pop("crv"))




        kid = d.pop("kid")

        kty = KtyEnum(d.pop("kty"))




        def _parse_retired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                retired_at_type_0 = datetime.datetime.fromisoformat(data)



                return retired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        retired_at = _parse_retired_at(d.pop("retiredAt"))


        status = TicketKeyStatusEnum(d.pop("status"))




        use = UseEnum(d.pop("use"))




        def _parse_valid_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)



                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_until = _parse_valid_until(d.pop("validUntil"))


        x = d.pop("x")

        ticket_key = cls(
            alg=alg,
            crv=crv,
            kid=kid,
            kty=kty,
            retired_at=retired_at,
            status=status,
            use=use,
            valid_until=valid_until,
            x=x,
        )


        ticket_key.additional_properties = d
        return ticket_key

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
