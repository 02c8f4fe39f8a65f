"""The one DRF exception handler: every error leaves in the seed format."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from api.casing import camel_path
from api.errors import error_body
from core import errors as codes
from core import locks
from core.errors import DomainError, ErrorCode

logger = logging.getLogger("api")


class ApiError(drf.APIException):
    """An HTTP-layer error with a registered code, raised by the api package itself."""

    def __init__(self, error: ErrorCode, message: str | None = None, *, details: Any = None, target: str | None = None):
        self.error = error
        self.status_code = error.status
        self.message = message or error.title
        self.details = details
        self.target = target
        super().__init__(self.message)


class CredentialsRejected(ApiError, drf.AuthenticationFailed):
    """401 for credentials that were sent and refused; DRF adds the WWW-Authenticate challenge."""

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(codes.AUTHENTICATION_FAILED, message, details=details)


def flatten_validation(detail: Any, prefix: str = "") -> list[dict[str, str | None]]:
    """DRF's nested error structure -> [{"target", "code", "message"}] with camelCase targets."""
    items: list[dict[str, str | None]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = key if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors":
                path = prefix
            items.extend(flatten_validation(value, path))
    elif isinstance(detail, list):
        if all(isinstance(v, drf.ErrorDetail | str) for v in detail):
            for v in detail:
                code = getattr(v, "code", "invalid") or "invalid"
                items.append({"target": camel_path(prefix) if prefix else None, "code": str(code).upper(), "message": str(v)})
        else:
            for index, value in enumerate(detail):
                if value:
                    items.extend(flatten_validation(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        code = getattr(detail, "code", "invalid") or "invalid"
        items.append({"target": camel_path(prefix) if prefix else None, "code": str(code).upper(), "message": str(detail)})
    return items


_SIMPLE: dict[type[drf.APIException], ErrorCode] = {
    drf.NotAuthenticated: codes.AUTHENTICATION_REQUIRED,
    drf.AuthenticationFailed: codes.AUTHENTICATION_FAILED,
    drf.NotFound: codes.RESOURCE_NOT_FOUND,
    drf.MethodNotAllowed: codes.METHOD_NOT_ALLOWED,
    drf.NotAcceptable: codes.NOT_ACCEPTABLE,
    drf.UnsupportedMediaType: codes.UNSUPPORTED_MEDIA_TYPE,
    drf.Throttled: codes.RATE_LIMITED,
}


def _body_for(exc: Exception, request: Any) -> tuple[dict[str, Any], dict[str, str]]:
    headers: dict[str, str] = {}
    if isinstance(exc, locks.Busy):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, DomainError):
        return error_body(
            exc.error, message=exc.message, details=exc.details, target=exc.target, request=request, extra=exc.extra
        ), headers
    if isinstance(exc, ApiError):
        return error_body(exc.error, message=exc.message, details=exc.details, target=exc.target, request=request), headers
    if isinstance(exc, drf.ValidationError):
        items = flatten_validation(exc.detail)
        unknown = [i for i in items if i["code"] == codes.UNKNOWN_FIELD.code]
        error = codes.UNKNOWN_FIELD if unknown and len(unknown) == len(items) else codes.VALIDATION_ERROR
        target = items[0]["target"] if items else None
        message = items[0]["message"] if len(items) == 1 else error.title
        return error_body(error, message=message, details=items, target=target, request=request), headers
    if isinstance(exc, drf.ParseError):
        text = str(exc.detail)
        error = codes.MALFORMED_JSON if "JSON" in text else codes.MALFORMED_REQUEST
        return error_body(error, details=text, request=request), headers
    if isinstance(exc, drf.PermissionDenied):
        text = str(exc.detail)
        if text.startswith("CSRF Failed"):
            return error_body(codes.CSRF_FAILED, details=text, request=request), headers
        return error_body(codes.PERMISSION_DENIED, request=request), headers
    for cls, error in _SIMPLE.items():
        if isinstance(exc, cls):
            assert isinstance(exc, drf.APIException)
            if isinstance(exc, drf.NotAcceptable):
                # The representations the resource has, so the client can ask again for one of them.
                available = getattr(exc, "available_renderers", None) or []
                details: Any = {"message": str(exc.detail), "available": [r.media_type for r in available]}
            elif isinstance(exc, drf.MethodNotAllowed | drf.UnsupportedMediaType):
                details = str(exc.detail)
            else:
                details = None
            wait = getattr(exc, "wait", None)  # drf.Throttled's, which the stubs do not declare
            if isinstance(exc, drf.Throttled) and wait is not None:
                headers["Retry-After"] = str(int(wait))
            return error_body(error, details=details, request=request), headers
    if isinstance(exc, drf.APIException):
        error = codes.CONFLICT if exc.status_code == 409 else codes.VALIDATION_ERROR
        return error_body(error, details=str(exc.detail), status=exc.status_code, request=request), headers
    raise TypeError(exc)  # pragma: no cover


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = ApiError(codes.PAYLOAD_TOO_LARGE, details=str(exc))
    elif locks.is_lock_timeout(exc):
        # A wait bounded by core.locks that ran out outside a lock helper's block (an UPDATE or a
        # foreign-key check waiting on a locked row): the same BUSY, never a 500.
        exc = locks.Busy()

    from rest_framework.views import set_rollback  # not at import time: rest_framework.views imports our settings

    set_rollback()
    if isinstance(exc, DomainError | drf.APIException):
        body, headers = _body_for(exc, request)
        status = body["error"]["status"]
        if isinstance(exc, drf.APIException):
            status = exc.status_code
            auth_header = getattr(exc, "auth_header", None)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
            if isinstance(exc, drf.MethodNotAllowed) and context.get("view") is not None:
                headers["Allow"] = ", ".join(context["view"].allowed_methods)
        body["error"]["status"] = status
        return Response(body, status=status, headers=headers)

    logger.exception("unhandled error in %s", getattr(request, "path", "?"))
    return Response(error_body(codes.INTERNAL_ERROR, request=request), status=500)
