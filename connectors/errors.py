"""Error codes of connections and vendor calls."""

from core.errors import define

CONNECTION_VENDOR_UNKNOWN = define(
    "CONNECTION_VENDOR_UNKNOWN",
    status=400,
    title="No connector for that kind and vendor",
    description="`details.available` lists the vendors the platform can connect, by kind.",
)
CONNECTION_CREDENTIALS_INVALID = define(
    "CONNECTION_CREDENTIALS_INVALID",
    status=400,
    title="The credentials are incomplete or malformed",
    description="`details` names each credential field that is missing or does not have the vendor's format "
    "(a Stripe secret key starts with `sk_test_` or `sk_live_`, matching the connection's mode).",
)
CONNECTION_DISCONNECTED = define(
    "CONNECTION_DISCONNECTED",
    status=409,
    title="The connection is disconnected",
    description="A disconnected connection makes no calls and accepts no notifications. Create a new connection "
    "with fresh credentials.",
)
CONNECTION_NOT_CONFIGURED = define(
    "CONNECTION_NOT_CONFIGURED",
    status=409,
    title="The organization has no connection for that vendor",
    description="Connect the vendor first (`POST /api/v1/connections`), in the mode (test or live) the request needs.",
)
VENDOR_UNAVAILABLE = define(
    "VENDOR_UNAVAILABLE",
    status=503,
    title="The vendor cannot be reached",
    description="The vendor did not answer, answered with a server error, or the connection's circuit breaker is "
    "open after repeated failures (`details.circuit` says which). Nothing was charged or sent; retry after the "
    "`Retry-After` header's seconds.",
)
VENDOR_REJECTED = define(
    "VENDOR_REJECTED",
    status=502,
    title="The vendor refused the request",
    description="The vendor answered with an error that retrying will not fix; `details.vendorCode` and "
    "`details.vendorMessage` give its reason, `details.vendorRequestId` the id its support asks for.",
)
