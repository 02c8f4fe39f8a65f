from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.error_response_error_details_type_1_item_type_1 import ErrorResponseErrorDetailsType1ItemType1
  from ..models.error_response_error_details_type_2 import ErrorResponseErrorDetailsType2
  from ..models.validation_problem import ValidationProblem





T = TypeVar("T", bound="ErrorResponseError")



@_attrs_define
class ErrorResponseError:
    """ 
        Attributes:
            code (str): Stable code; see /api/errors/. Example: RESOURCE_NOT_FOUND.
            correlation_id (str):  Example: 550e8400-e29b-41d4-a716-446655440000.
            details (ErrorResponseErrorDetailsType2 | list[ErrorResponseErrorDetailsType1ItemType1 | str |
                ValidationProblem] | str): A sentence; for VALIDATION_ERROR and UNKNOWN_FIELD a list of `ValidationProblem`; for
                state transitions, seats, scopes and the like an object with the figures (`from`, `to`, `allowedFrom`;
                `requiredScope`, `grantedScopes`; ...); for some conflicts a list of the objects or values in the way.
            documentation (str):
            message (str):  Example: The requested resource could not be found.
            status (int):  Example: 404.
            target (None | str):  Example: startsAt.
            timestamp (datetime.datetime):
     """

    code: str
    correlation_id: str
    details: ErrorResponseErrorDetailsType2 | list[ErrorResponseErrorDetailsType1ItemType1 | str | ValidationProblem] | str
    documentation: str
    message: str
    status: int
    target: None | str
    timestamp: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.error_response_error_details_type_1_item_type_1 import ErrorResponseErrorDetailsType1ItemType1 # noqa: PLC0415
        from ..models.error_response_error_details_type_2 import ErrorResponseErrorDetailsType2 # noqa: PLC0415
        from ..models.validation_problem import ValidationProblem # noqa: PLC0415
        code = self.code

        correlation_id = self.correlation_id

        details: dict[str, Any] | list[dict[str, Any] | str] | str
        if isinstance(self.details, list):
            details = []
            for details_type_1_item_data in self.details:
                details_type_1_item: dict[str, Any] | str
                if isinstance(details_type_1_item_data, ValidationProblem):
                    details_type_1_item = details_type_1_item_data.to_dict()
                elif isinstance(details_type_1_item_data, ErrorResponseErrorDetailsType1ItemType1):
                    details_type_1_item = details_type_1_item_data.to_dict()
                else:
                    details_type_1_item = details_type_1_item_data
                details.append(details_type_1_item)


        elif isinstance(self.details, ErrorResponseErrorDetailsType2):
            details = self.details.to_dict()
        else:
            details = self.details

        documentation = self.documentation

        message = self.message

        status = self.status

        target: None | str
        target = self.target

        timestamp = self.timestamp.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "correlationId": correlation_id,
            "details": details,
            "documentation": documentation,
            "message": message,
            "status": status,
            "target": target,
            "timestamp": timestamp,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_response_error_details_type_1_item_type_1 import ErrorResponseErrorDetailsType1ItemType1 # noqa: PLC0415
        from ..models.error_response_error_details_type_2 import ErrorResponseErrorDetailsType2 # noqa: PLC0415
        from ..models.validation_problem import ValidationProblem # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        correlation_id = d.pop("correlationId")

        def _parse_details(data: object) -> ErrorResponseErrorDetailsType2 | list[ErrorResponseErrorDetailsType1ItemType1 | str | ValidationProblem] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                details_type_1 = []
                _details_type_1 = data
                for details_type_1_item_data in (_details_type_1):
                    def _parse_details_type_1_item(data: object) -> ErrorResponseErrorDetailsType1ItemType1 | str | ValidationProblem:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            details_type_1_item_type_0 = ValidationProblem.from_dict(data)



                            return details_type_1_item_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            details_type_1_item_type_1 = ErrorResponseErrorDetailsType1ItemType1.from_dict(data)



                            return details_type_1_item_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(ErrorResponseErrorDetailsType1ItemType1 | str | ValidationProblem, data)

                    details_type_1_item = _parse_details_type_1_item(details_type_1_item_data)

                    details_type_1.append(details_type_1_item)

                return details_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_2 = ErrorResponseErrorDetailsType2.from_dict(data)



                return details_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorResponseErrorDetailsType2 | list[ErrorResponseErrorDetailsType1ItemType1 | str | ValidationProblem] | str, data)

        details = _parse_details(d.pop("details"))


        documentation = d.pop("documentation")

        message = d.pop("message")

        status = d.pop("status")

        def _parse_target(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target = _parse_target(d.pop("target"))


        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        error_response_error = cls(
            code=code,
            correlation_id=correlation_id,
            details=details,
            documentation=documentation,
            message=message,
            status=status,
            target=target,
            timestamp=timestamp,
        )


        error_response_error.additional_properties = d
        return error_response_error

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
