"""What a call to a vendor can end in, besides a result (``connectors.calls``)."""

from __future__ import annotations


class VendorError(Exception):
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        vendor_code: str = "",
        vendor_request_id: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.vendor_code = vendor_code
        self.vendor_request_id = vendor_request_id
        self.retry_after = retry_after


class Unavailable(VendorError):
    """Unreachable, timed out, rate-limited or a server error: the same call may succeed later."""

    retryable = True


class Rejected(VendorError):
    """The vendor refused the request (a 4xx other than 429): retrying the same call will not help."""


class CircuitOpen(Unavailable):
    """Not attempted: the connection's circuit breaker is open (``retry_after``: seconds to the next probe)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"circuit open; next probe in {retry_after:.0f} s", retry_after=retry_after)


class Disconnected(VendorError):
    """Not attempted: the connection is disconnected."""
