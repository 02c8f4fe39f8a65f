"""The error-code registry and the domain error every service raises.

Every code the API can answer is declared once here, through ``define``; the
exception handler renders it and the error reference pages are generated from
``registry()``. Apps declare their own codes in their ``errors`` module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    title: str
    description: str

    def __str__(self) -> str:
        return self.code


_REGISTRY: dict[str, ErrorCode] = {}


def define(code: str, *, status: int, title: str, description: str) -> ErrorCode:
    """Declare an error code. Declaring the same code twice is a programming error."""
    if code in _REGISTRY:
        raise ValueError(f"error code {code} is declared twice")
    if not code.isupper() or " " in code:
        raise ValueError(f"error code {code!r} must be UPPER_SNAKE_CASE")
    entry = ErrorCode(code=code, status=status, title=title, description=description)
    _REGISTRY[code] = entry
    return entry


def lookup(code: str) -> ErrorCode | None:
    return _REGISTRY.get(code)


def registry() -> list[ErrorCode]:
    """All declared codes, sorted by code."""
    return sorted(_REGISTRY.values(), key=lambda e: e.code)


class DomainError(Exception):
    """A rule of the domain was broken; rendered by the API with the code's status.

    ``details`` is a human explanation (or a list of per-item problems),
    ``target`` the field or parameter at fault, ``extra`` machine-readable facts
    (for example the clashing session).
    """

    def __init__(
        self,
        error: ErrorCode,
        message: str | None = None,
        *,
        details: Any = None,
        target: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.error = error
        self.message = message or error.title
        self.details = details
        self.target = target
        self.extra = extra or {}
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def sentence(self) -> str:
        """What a page tells a person: the message, and the details when they are a sentence."""
        return f"{self.message} {self.details}" if isinstance(self.details, str) else self.message

    @property
    def status(self) -> int:
        return self.error.status


# Codes of the shared kernel and of the HTTP layer. HTTP-level codes live here
# rather than in api/ so the registry has one home that every app can reach.
VALIDATION_ERROR = define(
    "VALIDATION_ERROR",
    status=400,
    title="The request is not valid",
    description="One or more fields or parameters are invalid; `details` lists each problem with its `target`.",
)
MALFORMED_JSON = define(
    "MALFORMED_JSON",
    status=400,
    title="The request body is not valid JSON",
    description="The body could not be parsed as JSON. Check quoting, commas and the encoding (UTF-8).",
)
MALFORMED_REQUEST = define(
    "MALFORMED_REQUEST",
    status=400,
    title="The request could not be parsed",
    description="The body could not be parsed in the declared Content-Type.",
)
JSON_TOO_DEEP = define(
    "JSON_TOO_DEEP",
    status=400,
    title="The JSON body nests too deeply",
    description="Arrays and objects may nest at most 32 levels; `target` names where the limit was passed.",
)
UNKNOWN_FIELD = define(
    "UNKNOWN_FIELD",
    status=400,
    title="The request names a field this resource does not have",
    description="Remove the field or check its spelling (field names are camelCase).",
)
UNKNOWN_PARAMETER = define(
    "UNKNOWN_PARAMETER",
    status=400,
    title="The request names a query parameter this operation does not have",
    description="Remove the parameter or check its spelling (parameter names are camelCase); `details` lists those the "
    "operation accepts, as does its entry in the API reference.",
)
AUTHENTICATION_REQUIRED = define(
    "AUTHENTICATION_REQUIRED",
    status=401,
    title="Authentication is required",
    description="Sign in, or send valid credentials with the request.",
)
AUTHENTICATION_FAILED = define(
    "AUTHENTICATION_FAILED",
    status=401,
    title="The credentials are not valid",
    description="The credentials sent were rejected. They may be wrong, expired or revoked.",
)
PERMISSION_DENIED = define(
    "PERMISSION_DENIED",
    status=403,
    title="You may not do this",
    description="Your role in the organization does not allow this action. See the roles table.",
)
CSRF_FAILED = define(
    "CSRF_FAILED",
    status=403,
    title="CSRF verification failed",
    description="A session-authenticated write must carry the CSRF token in the X-CSRFToken header.",
)
NO_ORGANIZATION = define(
    "NO_ORGANIZATION",
    status=403,
    title="You are not a member of any organization",
    description="Ask an owner or admin of an organization to invite you.",
)
RESOURCE_NOT_FOUND = define(
    "RESOURCE_NOT_FOUND",
    status=404,
    title="The requested resource could not be found",
    description="Nothing exists at this address for your organization.",
)
METHOD_NOT_ALLOWED = define(
    "METHOD_NOT_ALLOWED",
    status=405,
    title="The method is not allowed on this resource",
    description="The `Allow` header lists the methods this resource accepts.",
)
NOT_ACCEPTABLE = define(
    "NOT_ACCEPTABLE",
    status=406,
    title="No acceptable representation",
    description="The Accept header names no representation the resource has; `details.available` lists them "
    "(`application/json` everywhere; PDF for invoices, tickets and certificates).",
)
CONFLICT = define(
    "CONFLICT",
    status=409,
    title="The request conflicts with the current state",
    description="The resource changed in a way that does not allow this request.",
)
PRECONDITION_FAILED = define(
    "PRECONDITION_FAILED",
    status=412,
    title="The resource has changed since you read it",
    description="The If-Match or If-Unmodified-Since precondition failed. Read the resource again and retry.",
)
PAYLOAD_TOO_LARGE = define(
    "PAYLOAD_TOO_LARGE",
    status=413,
    title="The request body is too large",
    description="Send a smaller body or file; the limits are given in `details`.",
)
UNSUPPORTED_MEDIA_TYPE = define(
    "UNSUPPORTED_MEDIA_TYPE",
    status=415,
    title="The Content-Type is not supported",
    description="Send `application/json` (or `multipart/form-data` for uploads).",
)
IDEMPOTENCY_KEY_REUSED = define(
    "IDEMPOTENCY_KEY_REUSED",
    status=422,
    title="The Idempotency-Key was used with a different request",
    description="An Idempotency-Key may be reused only for the identical request within 24 hours.",
)
IDEMPOTENCY_KEY_IN_PROGRESS = define(
    "IDEMPOTENCY_KEY_IN_PROGRESS",
    status=409,
    title="A request with this Idempotency-Key is still being processed",
    description="Wait for the first request to finish, then retry to receive its stored response.",
)
INVALID_IDEMPOTENCY_KEY = define(
    "INVALID_IDEMPOTENCY_KEY",
    status=400,
    title="The Idempotency-Key header is not valid",
    description="Use 1 to 255 printable ASCII characters, for example a UUID.",
)
INVALID_PAGINATION = define(
    "INVALID_PAGINATION",
    status=400,
    title="The pagination parameters are not valid",
    description="Use one style per request: page/pageSize, limit/offset, or cursor (with pageSize or limit).",
)
INVALID_CURSOR = define(
    "INVALID_CURSOR",
    status=400,
    title="The cursor is not valid",
    description="Use a cursor exactly as returned in a Link header, with the same sort and filters.",
)
INVALID_UPDATED_SINCE = define(
    "INVALID_UPDATED_SINCE",
    status=400,
    title="updatedSince is not an RFC 3339 date-time",
    description="Give a full RFC 3339 date-time with its offset, such as 2026-05-01T09:30:00Z or "
    "2026-05-01T11:30:00%2B02:00 (a '+' in a query string must be encoded as %2B).",
)
INVALID_CHANGE_CURSOR = define(
    "INVALID_CHANGE_CURSOR",
    status=400,
    title="The change feed's cursor is not valid",
    description="Use the nextCursor of an earlier answer of GET /api/v1/changes as it is, or leave it out to start from the "
    "oldest change the feed keeps.",
)
CHANGE_CURSOR_EXPIRED = define(
    "CHANGE_CURSOR_EXPIRED",
    status=410,
    title="The change feed no longer keeps the changes after this cursor",
    description="Changes older than the retention (CHANGE_RETENTION_DAYS, 90 days by default) were deleted, some of them "
    "after this cursor. Copy the lists again (with updatedSince) and read GET /api/v1/changes without a cursor.",
)
INVALID_SORT = define(
    "INVALID_SORT",
    status=400,
    title="The sort parameter is not valid",
    description="Sort by one or more of the listed fields, comma separated, `-` for descending.",
)
UNSUPPORTED_API_VERSION = define(
    "UNSUPPORTED_API_VERSION",
    status=400,
    title="The requested API version is not supported",
    description="Send an X-API-Version this server offers (see `details`), or omit the header for the default.",
)
INSUFFICIENT_SCOPE = define(
    "INSUFFICIENT_SCOPE",
    status=403,
    title="The token lacks the scope this endpoint needs",
    description="The access token or API key was not granted the scope named in `details`. "
    "Ask for that scope (OAuth) or use a key that has it.",
)
IP_NOT_ALLOWED = define(
    "IP_NOT_ALLOWED",
    status=403,
    title="Requests from this address are not allowed for this client",
    description="The API key or application has an IP allowlist that does not include the caller's address.",
)
RATE_LIMITED = define(
    "RATE_LIMITED",
    status=429,
    title="Too many requests",
    description="Wait for the number of seconds in Retry-After before retrying.",
)
BUSY = define(
    "BUSY",
    status=503,
    title="The resource is busy",
    description="Another request held a lock on what this request changes for longer than a request may wait "
    "(core.locks). Nothing was changed: retry after the number of seconds in Retry-After.",
)
INTERNAL_ERROR = define(
    "INTERNAL_ERROR",
    status=500,
    title="An unexpected error occurred",
    description="The error was logged with the correlation id. Retry later; report the correlation id if it persists.",
)
