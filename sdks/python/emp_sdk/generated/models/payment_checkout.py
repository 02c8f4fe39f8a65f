from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capture_method_enum import CaptureMethodEnum
from ..models.payment_status_enum import PaymentStatusEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.card import Card
  from ..models.checkout import Checkout
  from ..models.dispute import Dispute
  from ..models.payment_item import PaymentItem
  from ..models.refund import Refund





T = TypeVar("T", bound="PaymentCheckout")



@_attrs_define
class PaymentCheckout:
    """ A payment with its gateway checkout (``checkout`` is null for the sandbox, and when the gateway could not be
    reached: ask ``GET /payments/{id}/checkout`` again).

        Attributes:
            amount (str):
            capture_method (CaptureMethodEnum): * `automatic` - Captured when the buyer pays
                * `manual` - Authorized, then captured by the platform
            card (Card | None):
            checkout (Checkout | None):
            connection_id (None | UUID):
            created_at (datetime.datetime):
            created_by (str): The actor who created it (audit label).
            currency (str):
            disputes (list[Dispute]):
            event_id (UUID):
            failed_at (datetime.datetime | None):
            failure_code (str):
            failure_message (str):
            id (UUID):
            invoice_id (None | UUID):
            items (list[PaymentItem]):
            payment_method (str): A label such as 'visa •••• 4242'.
            provider (str):
            provider_reference (str):
            provider_status (str):
            refunded_amount (str):
            refunds (list[Refund]):
            registration_ids (list[UUID]):
            status (PaymentStatusEnum): * `requires_payment` - Requires payment
                * `processing` - Processing
                * `succeeded` - Succeeded
                * `failed` - Failed
                * `refunded` - Refunded
                * `partially_refunded` - Partially refunded
            succeeded_at (datetime.datetime | None):
            updated_at (datetime.datetime):
     """

    amount: str
    capture_method: CaptureMethodEnum
    card: Card | None
    checkout: Checkout | None
    connection_id: None | UUID
    created_at: datetime.datetime
    created_by: str
    currency: str
    disputes: list[Dispute]
    event_id: UUID
    failed_at: datetime.datetime | None
    failure_code: str
    failure_message: str
    id: UUID
    invoice_id: None | UUID
    items: list[PaymentItem]
    payment_method: str
    provider: str
    provider_reference: str
    provider_status: str
    refunded_amount: str
    refunds: list[Refund]
    registration_ids: list[UUID]
    status: PaymentStatusEnum
    succeeded_at: datetime.datetime | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.card import Card # noqa: PLC0415
        from ..models.checkout import Checkout # noqa: PLC0415
        from ..models.dispute import Dispute # noqa: PLC0415
        from ..models.payment_item import PaymentItem # noqa: PLC0415
        from ..models.refund import Refund # noqa: PLC0415
        amount = self.amount

        capture_method = self.capture_method.value

        card: dict[str, Any] | None
        if isinstance(self.card, Card):
            card = self.card.to_dict()
        else:
            card = self.card

        checkout: dict[str, Any] | None
        if isinstance(self.checkout, Checkout):
            checkout = self.checkout.to_dict()
        else:
            checkout = self.checkout

        connection_id: None | str
        if isinstance(self.connection_id, UUID):
            connection_id = str(self.connection_id)
        else:
            connection_id = self.connection_id

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        currency = self.currency

        disputes = []
        for disputes_item_data in self.disputes:
            disputes_item = disputes_item_data.to_dict()
            disputes.append(disputes_item)



        event_id = str(self.event_id)

        failed_at: None | str
        if isinstance(self.failed_at, datetime.datetime):
            failed_at = self.failed_at.isoformat()
        else:
            failed_at = self.failed_at

        failure_code = self.failure_code

        failure_message = self.failure_message

        id = str(self.id)

        invoice_id: None | str
        if isinstance(self.invoice_id, UUID):
            invoice_id = str(self.invoice_id)
        else:
            invoice_id = self.invoice_id

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        payment_method = self.payment_method

        provider = self.provider

        provider_reference = self.provider_reference

        provider_status = self.provider_status

        refunded_amount = self.refunded_amount

        refunds = []
        for refunds_item_data in self.refunds:
            refunds_item = refunds_item_data.to_dict()
            refunds.append(refunds_item)



        registration_ids = []
        for registration_ids_item_data in self.registration_ids:
            registration_ids_item = str(registration_ids_item_data)
            registration_ids.append(registration_ids_item)



        status = self.status.value

        succeeded_at: None | str
        if isinstance(self.succeeded_at, datetime.datetime):
            succeeded_at = self.succeeded_at.isoformat()
        else:
            succeeded_at = self.succeeded_at

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "captureMethod": capture_method,
            "card": card,
            "checkout": checkout,
            "connectionId": connection_id,
            "createdAt": created_at,
            "createdBy": created_by,
            "currency": currency,
            "disputes": disputes,
            "eventId": event_id,
            "failedAt": failed_at,
            "failureCode": failure_code,
            "failureMessage": failure_message,
            "id": id,
            "invoiceId": invoice_id,
            "items": items,
            "paymentMethod": payment_method,
            "provider": provider,
            "providerReference": provider_reference,
            "providerStatus": provider_status,
            "refundedAmount": refunded_amount,
            "refunds": refunds,
            "registrationIds": registration_ids,
            "status": status,
            "succeededAt": succeeded_at,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card import Card # noqa: PLC0415
        from ..models.checkout import Checkout # noqa: PLC0415
        from ..models.dispute import Dispute # noqa: PLC0415
        from ..models.payment_item import PaymentItem # noqa: PLC0415
        from ..models.refund import Refund # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        capture_method = CaptureMethodEnum(d.pop("captureMethod"))




        def _parse_card(data: object) -> Card | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                card_type_0 = Card.from_dict(data)



                return card_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Card | None, data)

        card = _parse_card(d.pop("card"))


        def _parse_checkout(data: object) -> Checkout | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                checkout_type_0 = Checkout.from_dict(data)



                return checkout_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Checkout | None, data)

        checkout = _parse_checkout(d.pop("checkout"))


        def _parse_connection_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                connection_id_type_0 = UUID(data)



                return connection_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        connection_id = _parse_connection_id(d.pop("connectionId"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        currency = d.pop("currency")

        disputes = []
        _disputes = d.pop("disputes")
        for disputes_item_data in (_disputes):
            disputes_item = Dispute.from_dict(disputes_item_data)



            disputes.append(disputes_item)


        event_id = UUID(d.pop("eventId"))




        def _parse_failed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failed_at_type_0 = datetime.datetime.fromisoformat(data)



                return failed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        failed_at = _parse_failed_at(d.pop("failedAt"))


        failure_code = d.pop("failureCode")

        failure_message = d.pop("failureMessage")

        id = UUID(d.pop("id"))




        def _parse_invoice_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                invoice_id_type_0 = UUID(data)



                return invoice_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        invoice_id = _parse_invoice_id(d.pop("invoiceId"))


        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = PaymentItem.from_dict(items_item_data)



            items.append(items_item)


        payment_method = d.pop("paymentMethod")

        provider = d.pop("provider")

        provider_reference = d.pop("providerReference")

        provider_status = d.pop("providerStatus")

        refunded_amount = d.pop("refundedAmount")

        refunds = []
        _refunds = d.pop("refunds")
        for refunds_item_data in (_refunds):
            refunds_item = Refund.from_dict(refunds_item_data)



            refunds.append(refunds_item)


        registration_ids = []
        _registration_ids = d.pop("registrationIds")
        for registration_ids_item_data in (_registration_ids):
            registration_ids_item = UUID(registration_ids_item_data)



            registration_ids.append(registration_ids_item)


        status = PaymentStatusEnum(d.pop("status"))




        def _parse_succeeded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                succeeded_at_type_0 = datetime.datetime.fromisoformat(data)



                return succeeded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        succeeded_at = _parse_succeeded_at(d.pop("succeededAt"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        payment_checkout = cls(
            amount=amount,
            capture_method=capture_method,
            card=card,
            checkout=checkout,
            connection_id=connection_id,
            created_at=created_at,
            created_by=created_by,
            currency=currency,
            disputes=disputes,
            event_id=event_id,
            failed_at=failed_at,
            failure_code=failure_code,
            failure_message=failure_message,
            id=id,
            invoice_id=invoice_id,
            items=items,
            payment_method=payment_method,
            provider=provider,
            provider_reference=provider_reference,
            provider_status=provider_status,
            refunded_amount=refunded_amount,
            refunds=refunds,
            registration_ids=registration_ids,
            status=status,
            succeeded_at=succeeded_at,
            updated_at=updated_at,
        )


        payment_checkout.additional_properties = d
        return payment_checkout

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
