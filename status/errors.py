"""Error codes of the status page's services."""

from core.errors import define

MAINTENANCE_NOTICE_TOO_SHORT = define(
    "MAINTENANCE_NOTICE_TOO_SHORT",
    status=422,
    title="Maintenance must be announced at least 7 days ahead",
    description="Scheduled maintenance starts at least 7 days after it is announced (spec §12.3); `details` gives "
    "the earliest start allowed now.",
)
