from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="SubscriptionCheckout")



@_attrs_define
class SubscriptionCheckout:
    """ What the buyer needs to pay the first cycle: Stripe's client secret (Stripe Elements) or PayPal's approval URL.

        Attributes:
            approval_url (str): PayPal: send the buyer here.
            client_secret (str): Stripe: the first invoice's; never log it.
            provider_subscription_id (str):
            publishable_key (str):
     """

    approval_url: str
    client_secret: str
    provider_subscription_id: str
    publishable_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        approval_url = self.approval_url

        client_secret = self.client_secret

        provider_subscription_id = self.provider_subscription_id

        publishable_key = self.publishable_key


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "approvalUrl": approval_url,
            "clientSecret": client_secret,
            "providerSubscriptionId": provider_subscription_id,
            "publishableKey": publishable_key,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        approval_url = d.pop("approvalUrl")

        client_secret = d.pop("clientSecret")

        provider_subscription_id = d.pop("providerSubscriptionId")

        publishable_key = d.pop("publishableKey")

        subscription_checkout = cls(
            approval_url=approval_url,
            client_secret=client_secret,
            provider_subscription_id=provider_subscription_id,
            publishable_key=publishable_key,
        )


        subscription_checkout.additional_properties = d
        return subscription_checkout

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
