from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.webhook_attempt_request_headers import WebhookAttemptRequestHeaders
  from ..models.webhook_attempt_response_headers import WebhookAttemptResponseHeaders





T = TypeVar("T", bound="WebhookAttempt")



@_attrs_define
class WebhookAttempt:
    """ 
        Attributes:
            attempted_at (datetime.datetime):
            duration_ms (int):
            error (str):
            number (int):
            request_body (str):
            request_headers (WebhookAttemptRequestHeaders):
            response_body (str):
            response_headers (WebhookAttemptResponseHeaders):
            response_status (int | None):
            url (str):
     """

    attempted_at: datetime.datetime
    duration_ms: int
    error: str
    number: int
    request_body: str
    request_headers: WebhookAttemptRequestHeaders
    response_body: str
    response_headers: WebhookAttemptResponseHeaders
    response_status: int | None
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_attempt_request_headers import WebhookAttemptRequestHeaders # noqa: PLC0415
        from ..models.webhook_attempt_response_headers import WebhookAttemptResponseHeaders # noqa: PLC0415
        attempted_at = self.attempted_at.isoformat()

        duration_ms = self.duration_ms

        error = self.error

        number = self.number

        request_body = self.request_body

        request_headers = self.request_headers.to_dict()

        response_body = self.response_body

        response_headers = self.response_headers.to_dict()

        response_status: int | None
        response_status = self.response_status

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attemptedAt": attempted_at,
            "durationMs": duration_ms,
            "error": error,
            "number": number,
            "requestBody": request_body,
            "requestHeaders": request_headers,
            "responseBody": response_body,
            "responseHeaders": response_headers,
            "responseStatus": response_status,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_attempt_request_headers import WebhookAttemptRequestHeaders # noqa: PLC0415
        from ..models.webhook_attempt_response_headers import WebhookAttemptResponseHeaders # noqa: PLC0415
        d = dict(src_dict)
        attempted_at = datetime.datetime.fromisoformat(d.pop("attemptedAt"))




        duration_ms = d.pop("durationMs")

        error = d.pop("error")

        number = d.pop("number")

        request_body = d.pop("requestBody")

        request_headers = WebhookAttemptRequestHeaders.from_dict(d.pop("requestHeaders"))




        response_body = d.pop("responseBody")

        response_headers = WebhookAttemptResponseHeaders.from_dict(d.pop("responseHeaders"))




        def _parse_response_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_status = _parse_response_status(d.pop("responseStatus"))


        url = d.pop("url")

        webhook_attempt = cls(
            attempted_at=attempted_at,
            duration_ms=duration_ms,
            error=error,
            number=number,
            request_body=request_body,
            request_headers=request_headers,
            response_body=response_body,
            response_headers=response_headers,
            response_status=response_status,
            url=url,
        )


        webhook_attempt.additional_properties = d
        return webhook_attempt

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
