from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rate_tier_enum import RateTierEnum






T = TypeVar("T", bound="PingRateLimit")



@_attrs_define
class PingRateLimit:
    """ 
        Attributes:
            burst (int):
            concurrent_requests (int):
            requests_per_minute (int):
            tier (RateTierEnum): * `anonymous` - Anonymous
                * `user` - Authenticated user
                * `partner` - Partner integration
                * `internal` - Internal service
     """

    burst: int
    concurrent_requests: int
    requests_per_minute: int
    tier: RateTierEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        burst = self.burst

        concurrent_requests = self.concurrent_requests

        requests_per_minute = self.requests_per_minute

        tier = self.tier.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "burst": burst,
            "concurrentRequests": concurrent_requests,
            "requestsPerMinute": requests_per_minute,
            "tier": tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        burst = d.pop("burst")

        concurrent_requests = d.pop("concurrentRequests")

        requests_per_minute = d.pop("requestsPerMinute")

        tier = RateTierEnum(d.pop("tier"))




        ping_rate_limit = cls(
            burst=burst,
            concurrent_requests=concurrent_requests,
            requests_per_minute=requests_per_minute,
            tier=tier,
        )


        ping_rate_limit.additional_properties = d
        return ping_rate_limit

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
