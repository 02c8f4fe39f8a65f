from core.errors import define

WEBHOOK_URL_NOT_ALLOWED = define(
    "WEBHOOK_URL_NOT_ALLOWED",
    status=400,
    title="The webhook URL is not allowed",
    description="Webhook URLs must be absolute `https://` URLs with a host name or a public address, without "
    "credentials. Plain `http://` is accepted only where the platform runs in local development.",
)
WEBHOOK_EVENT_TYPE_UNKNOWN = define(
    "WEBHOOK_EVENT_TYPE_UNKNOWN",
    status=400,
    title="An event type is not in the catalog",
    description="Use types listed by `GET /api/v1/webhook-event-types` (`registration.created`) or a family of "
    "them (`registration.*`); `details` names the unknown ones.",
)
WEBHOOK_SUBSCRIPTION_DISABLED = define(
    "WEBHOOK_SUBSCRIPTION_DISABLED",
    status=409,
    title="The webhook subscription is disabled",
    description="Enable it (`PATCH` with `enabled: true`) before sending test messages to it, or replaying or "
    "recovering its deliveries.",
)
WEBHOOK_DELIVERY_IN_PROGRESS = define(
    "WEBHOOK_DELIVERY_IN_PROGRESS",
    status=409,
    title="The delivery is still being attempted",
    description="Only a delivery that succeeded or failed for good can be replayed; a pending one is retried "
    "on its schedule (`nextAttemptAt`).",
)
SANDBOX_SEED_MISSING = define(
    "SANDBOX_SEED_MISSING",
    status=409,
    title="The sandbox's sample data is gone",
    description="Triggering an event in the sandbox acts on its sample conference and ticket types; they were "
    "deleted, cancelled, sold out or have ended.",
)
EXPORT_SCHEDULE_INVALID = define(
    "EXPORT_SCHEDULE_INVALID",
    status=400,
    title="The export schedule cannot be used",
    description="A schedule needs exactly one of `cron` (five fields: minute hour day-of-month month day-of-week) "
    "and `rrule` (RFC 5545, no more often than every few minutes), a known IANA `timeZone`, and what its "
    "destination needs: `recipients` for email, the id of a tested SFTP connection of the organization for sftp, "
    "an `https://` URL for https. `details` names each problem.",
)
CALENDAR_AUTHORIZATION_FAILED = define(
    "CALENDAR_AUTHORIZATION_FAILED",
    status=400,
    title="The calendar could not be connected",
    description="The calendar vendor refused the authorization (the person declined, the link was used twice or "
    "is too old, or the vendor is unreachable). `details` says which.",
)
CALENDAR_VENDOR_NOT_CONFIGURED = define(
    "CALENDAR_VENDOR_NOT_CONFIGURED",
    status=409,
    title="This calendar vendor is not set up on the platform",
    description="The platform has no OAuth client for this vendor (`GOOGLE_CALENDAR_CLIENT_ID`, `MICROSOFT_CLIENT_ID`).",
)
