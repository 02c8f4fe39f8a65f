from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.buyer import Buyer
  from ..models.invoice_line import InvoiceLine
  from ..models.totals import Totals





T = TypeVar("T", bound="Invoice")



@_attrs_define
class Invoice:
    """ 
        Attributes:
            buyer (Buyer):
            created_at (datetime.datetime):
            currency (str):
            id (UUID):
            issued_at (datetime.datetime):
            issuer (Any):
            lines (list[InvoiceLine]):
            number (str):
            payment_id (UUID):
            totals (Totals):
     """

    buyer: Buyer
    created_at: datetime.datetime
    currency: str
    id: UUID
    issued_at: datetime.datetime
    issuer: Any
    lines: list[InvoiceLine]
    number: str
    payment_id: UUID
    totals: Totals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.buyer import Buyer # noqa: PLC0415
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        from ..models.totals import Totals # noqa: PLC0415
        buyer = self.buyer.to_dict()

        created_at = self.created_at.isoformat()

        currency = self.currency

        id = str(self.id)

        issued_at = self.issued_at.isoformat()

        issuer = self.issuer

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        number = self.number

        payment_id = str(self.payment_id)

        totals = self.totals.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "buyer": buyer,
            "createdAt": created_at,
            "currency": currency,
            "id": id,
            "issuedAt": issued_at,
            "issuer": issuer,
            "lines": lines,
            "number": number,
            "paymentId": payment_id,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.buyer import Buyer # noqa: PLC0415
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        from ..models.totals import Totals # noqa: PLC0415
        d = dict(src_dict)
        buyer = Buyer.from_dict(d.pop("buyer"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        id = UUID(d.pop("id"))




        issued_at = datetime.datetime.fromisoformat(d.pop("issuedAt"))




        issuer = d.pop("issuer")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = InvoiceLine.from_dict(lines_item_data)



            lines.append(lines_item)


        number = d.pop("number")

        payment_id = UUID(d.pop("paymentId"))




        totals = Totals.from_dict(d.pop("totals"))




        invoice = cls(
            buyer=buyer,
            created_at=created_at,
            currency=currency,
            id=id,
            issued_at=issued_at,
            issuer=issuer,
            lines=lines,
            number=number,
            payment_id=payment_id,
            totals=totals,
        )


        invoice.additional_properties = d
        return invoice

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
