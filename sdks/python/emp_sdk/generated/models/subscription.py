from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.subscription_status_enum import SubscriptionStatusEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.subscription_checkout import SubscriptionCheckout





T = TypeVar("T", bound="Subscription")



@_attrs_define
class Subscription:
    """ 
        Attributes:
            amount (str):
            buyer_email (str):
            buyer_name (str):
            canceled_at (datetime.datetime | None):
            checkout (None | SubscriptionCheckout):
            connection_id (UUID):
            created_at (datetime.datetime):
            created_by (str):
            currency (str):
            current_period_end (datetime.datetime | None):
            failure_reason (str):
            id (UUID):
            interval (str):
            provider (str):
            provider_reference (str):
            renewals (int):
            series_id (None | UUID):
            status (SubscriptionStatusEnum): * `incomplete` - Incomplete
                * `active` - Active
                * `past_due` - Past due
                * `canceled` - Canceled
            ticket_type_id (None | UUID):
            updated_at (datetime.datetime):
     """

    amount: str
    buyer_email: str
    buyer_name: str
    canceled_at: datetime.datetime | None
    checkout: None | SubscriptionCheckout
    connection_id: UUID
    created_at: datetime.datetime
    created_by: str
    currency: str
    current_period_end: datetime.datetime | None
    failure_reason: str
    id: UUID
    interval: str
    provider: str
    provider_reference: str
    renewals: int
    series_id: None | UUID
    status: SubscriptionStatusEnum
    ticket_type_id: None | UUID
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.subscription_checkout import SubscriptionCheckout # noqa: PLC0415
        amount = self.amount

        buyer_email = self.buyer_email

        buyer_name = self.buyer_name

        canceled_at: None | str
        if isinstance(self.canceled_at, datetime.datetime):
            canceled_at = self.canceled_at.isoformat()
        else:
            canceled_at = self.canceled_at

        checkout: dict[str, Any] | None
        if isinstance(self.checkout, SubscriptionCheckout):
            checkout = self.checkout.to_dict()
        else:
            checkout = self.checkout

        connection_id = str(self.connection_id)

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        currency = self.currency

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        failure_reason = self.failure_reason

        id = str(self.id)

        interval = self.interval

        provider = self.provider

        provider_reference = self.provider_reference

        renewals = self.renewals

        series_id: None | str
        if isinstance(self.series_id, UUID):
            series_id = str(self.series_id)
        else:
            series_id = self.series_id

        status = self.status.value

        ticket_type_id: None | str
        if isinstance(self.ticket_type_id, UUID):
            ticket_type_id = str(self.ticket_type_id)
        else:
            ticket_type_id = self.ticket_type_id

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "buyerEmail": buyer_email,
            "buyerName": buyer_name,
            "canceledAt": canceled_at,
            "checkout": checkout,
            "connectionId": connection_id,
            "createdAt": created_at,
            "createdBy": created_by,
            "currency": currency,
            "currentPeriodEnd": current_period_end,
            "failureReason": failure_reason,
            "id": id,
            "interval": interval,
            "provider": provider,
            "providerReference": provider_reference,
            "renewals": renewals,
            "seriesId": series_id,
            "status": status,
            "ticketTypeId": ticket_type_id,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subscription_checkout import SubscriptionCheckout # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        buyer_email = d.pop("buyerEmail")

        buyer_name = d.pop("buyerName")

        def _parse_canceled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                canceled_at_type_0 = datetime.datetime.fromisoformat(data)



                return canceled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        canceled_at = _parse_canceled_at(d.pop("canceledAt"))


        def _parse_checkout(data: object) -> None | SubscriptionCheckout:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                checkout_type_0 = SubscriptionCheckout.from_dict(data)



                return checkout_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SubscriptionCheckout, data)

        checkout = _parse_checkout(d.pop("checkout"))


        connection_id = UUID(d.pop("connectionId"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        currency = d.pop("currency")

        def _parse_current_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data)



                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_end = _parse_current_period_end(d.pop("currentPeriodEnd"))


        failure_reason = d.pop("failureReason")

        id = UUID(d.pop("id"))




        interval = d.pop("interval")

        provider = d.pop("provider")

        provider_reference = d.pop("providerReference")

        renewals = d.pop("renewals")

        def _parse_series_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                series_id_type_0 = UUID(data)



                return series_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        series_id = _parse_series_id(d.pop("seriesId"))


        status = SubscriptionStatusEnum(d.pop("status"))




        def _parse_ticket_type_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_type_id_type_0 = UUID(data)



                return ticket_type_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_type_id = _parse_ticket_type_id(d.pop("ticketTypeId"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        subscription = cls(
            amount=amount,
            buyer_email=buyer_email,
            buyer_name=buyer_name,
            canceled_at=canceled_at,
            checkout=checkout,
            connection_id=connection_id,
            created_at=created_at,
            created_by=created_by,
            currency=currency,
            current_period_end=current_period_end,
            failure_reason=failure_reason,
            id=id,
            interval=interval,
            provider=provider,
            provider_reference=provider_reference,
            renewals=renewals,
            series_id=series_id,
            status=status,
            ticket_type_id=ticket_type_id,
            updated_at=updated_at,
        )


        subscription.additional_properties = d
        return subscription

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
