from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Checkout")



@_attrs_define
class Checkout:
    """ What a client needs to take a gateway payment (Stripe: client secret and publishable key for Stripe.js).

        Attributes:
            approval_url (str): Redirect flows (PayPal): send the buyer here.
            checkout_url (str): The platform's hosted checkout page for the buyer.
            client_secret (str): Stripe: for Stripe.js `confirmPayment`; never log it.
            provider_payment_id (str):
            publishable_key (str):
     """

    approval_url: str
    checkout_url: str
    client_secret: str
    provider_payment_id: str
    publishable_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        approval_url = self.approval_url

        checkout_url = self.checkout_url

        client_secret = self.client_secret

        provider_payment_id = self.provider_payment_id

        publishable_key = self.publishable_key


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "approvalUrl": approval_url,
            "checkoutUrl": checkout_url,
            "clientSecret": client_secret,
            "providerPaymentId": provider_payment_id,
            "publishableKey": publishable_key,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        approval_url = d.pop("approvalUrl")

        checkout_url = d.pop("checkoutUrl")

        client_secret = d.pop("clientSecret")

        provider_payment_id = d.pop("providerPaymentId")

        publishable_key = d.pop("publishableKey")

        checkout = cls(
            approval_url=approval_url,
            checkout_url=checkout_url,
            client_secret=client_secret,
            provider_payment_id=provider_payment_id,
            publishable_key=publishable_key,
        )


        checkout.additional_properties = d
        return checkout

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
