from core.errors import define

EVENT_NOT_OPEN = define(
    "EVENT_NOT_OPEN",
    status=409,
    title="The event is not open for registration",
    description="Only published events take registrations; drafts, cancelled and completed events do not.",
)
TICKET_SALES_CLOSED = define(
    "TICKET_SALES_CLOSED",
    status=409,
    title="This ticket type is not on sale now",
    description="The ticket type's sales window (`salesStartsAt` to `salesEndsAt`) does not include the current time.",
)
TICKET_TYPE_NOT_AVAILABLE = define(
    "TICKET_TYPE_NOT_AVAILABLE",
    status=409,
    title="This ticket type is not offered on this channel",
    description="Hidden ticket types are sold only by the organizer (API, batch, admin console), not through public sign-up.",
)
SOLD_OUT = define(
    "SOLD_OUT",
    status=409,
    title="Not enough seats are left",
    description="The event or the ticket type has fewer seats left than the order asks for, and the event has no waitlist. "
    "`details` says how many are left.",
)
ORDER_LIMIT_EXCEEDED = define(
    "ORDER_LIMIT_EXCEEDED",
    status=400,
    title="Too many attendees in one order",
    description="A ticket type allows at most `maxPerOrder` attendees per order; split the order or ask the organizer.",
)
TICKET_TYPE_IN_USE = define(
    "TICKET_TYPE_IN_USE",
    status=409,
    title="The ticket type has registrations",
    description="A ticket type with registrations (in any status) cannot be deleted; hide it or end its sales window instead.",
)
TICKET_CAPACITY_TOO_LOW = define(
    "TICKET_CAPACITY_TOO_LOW",
    status=409,
    title="The capacity is below the seats already taken",
    description="Confirmed and unexpired pending registrations hold seats; the new capacity must be at least their number.",
)
REGISTRATION_INVALID_TRANSITION = define(
    "REGISTRATION_INVALID_TRANSITION",
    status=409,
    title="The registration cannot move to that status",
    description="Pending-payment registrations can be confirmed; any registration that is not cancelled can be cancelled.",
)
REGISTRATION_NOT_EDITABLE = define(
    "REGISTRATION_NOT_EDITABLE",
    status=409,
    title="A cancelled registration cannot be changed",
    description="Create a new registration instead.",
)
REGISTRATION_EXPIRED = define(
    "REGISTRATION_EXPIRED",
    status=409,
    title="The registration's payment window has passed and its seat is gone",
    description="The pending registration expired and the event or ticket type has filled up since; register again.",
)
TICKET_NOT_ISSUED = define(
    "TICKET_NOT_ISSUED",
    status=409,
    title="The registration has no valid ticket",
    description="Tickets are issued for confirmed registrations only; `details` gives the registration's status.",
)

# -- check-in ---------------------------------------------------------------------------------
TICKET_NOT_FOUND = define(
    "TICKET_NOT_FOUND",
    status=404,
    title="No ticket has this code",
    description="The scanned code is not a ticket of this organization. The scan is logged.",
)
ALREADY_CHECKED_IN = define(
    "ALREADY_CHECKED_IN",
    status=409,
    title="This ticket is already checked in",
    description="The ticket was checked in before (to the event, or to this session); `details` gives "
    "`checkedInAt`, `device`, `scannedBy` and `sessionId` of that check-in. Undo it to check in again.",
)
TICKET_CANCELLED = define(
    "TICKET_CANCELLED",
    status=409,
    title="The ticket's registration is cancelled",
    description="A cancelled registration cannot be checked in.",
)
TICKET_NOT_PAID = define(
    "TICKET_NOT_PAID",
    status=409,
    title="The ticket is not paid yet",
    description="The registration is pending payment; only confirmed registrations can be checked in.",
)
TICKET_WAITLISTED = define(
    "TICKET_WAITLISTED",
    status=409,
    title="The ticket is on the waitlist",
    description="Waitlisted registrations hold no seat and cannot be checked in.",
)
WRONG_EVENT = define(
    "WRONG_EVENT",
    status=409,
    title="The ticket is for another event",
    description="The code belongs to a registration of another event of this organization; `details` names that event.",
)
CHECKIN_NOT_UNDOABLE = define(
    "CHECKIN_NOT_UNDOABLE",
    status=409,
    title="This check-in cannot be undone",
    description="Only accepted check-ins that have not been undone yet can be undone.",
)
NOT_ATTENDED = define(
    "NOT_ATTENDED",
    status=409,
    title="The attendee was not checked in to this session",
    description="Feedback is taken only from attendees with an active check-in to the session.",
)
FEEDBACK_EXISTS = define(
    "FEEDBACK_EXISTS",
    status=409,
    title="Feedback for this session was already given",
    description="Each attendee rates a session once.",
)
CHECKIN_CLOSED = define(
    "CHECKIN_CLOSED",
    status=409,
    title="Check-in is closed for this event or session",
    description="Draft and cancelled events, and cancelled sessions, take no check-ins; `details` gives the status.",
)
CHECKIN_NOT_OPEN = define(
    "CHECKIN_NOT_OPEN",
    status=409,
    title="Check-in has not opened yet for this event",
    description="An event takes check-ins (entry and sessions) from `checkInOpensAt` (by default 24 hours before "
    "its start) to `checkInClosesAt` (by default its end); the organizer sets both on the event. "
    "`details` gives `opensAt` and `closesAt`. The scan is logged.",
)
CHECKIN_WINDOW_CLOSED = define(
    "CHECKIN_WINDOW_CLOSED",
    status=409,
    title="Check-in has closed for this event",
    description="The event's check-in window ended at `checkInClosesAt` (by default the event's end); the organizer "
    "can extend it on the event (`checkInClosesMinutesAfterEnd`). `details` gives `opensAt` and `closesAt`. "
    "The scan is logged.",
)
TICKET_SIGNATURE_INVALID = define(
    "TICKET_SIGNATURE_INVALID",
    status=409,
    title="The signed ticket does not verify",
    description="The scanned QR payload is not signed by one of the organization's ticket keys, or its key was retired "
    "and the ticket's event is over. `details.reason` is MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, KEY_RETIRED or EXPIRED. "
    "The scan is logged.",
)
CERTIFICATE_NOT_AVAILABLE = define(
    "CERTIFICATE_NOT_AVAILABLE",
    status=409,
    title="The attendee has not attended",
    description="A certificate of attendance exists once the registration has an accepted check-in at the event's entrance.",
)

# -- imports (registrations.imports) ------------------------------------------------------------------
IMPORT_FILE_TOO_LARGE = define(
    "IMPORT_FILE_TOO_LARGE",
    status=413,
    title="The import file is too large",
    description="An import file may be at most `IMPORT_MAX_BYTES` (5 MB by default); `details` gives the limit. "
    "Split the file and import the parts one after the other.",
)
IMPORT_TOO_MANY_ROWS = define(
    "IMPORT_TOO_MANY_ROWS",
    status=413,
    title="The import file has too many rows",
    description="An import file may have at most `IMPORT_MAX_ROWS` rows below its header (20,000 by default); "
    "`details` gives the limit. Split the file.",
)
IMPORT_FILE_UNREADABLE = define(
    "IMPORT_FILE_UNREADABLE",
    status=400,
    title="The import file cannot be read",
    description="Send a CSV file (UTF-8, comma or semicolon separated, a header row first) or an XLSX workbook "
    "(the first sheet is read, its first row is the header).",
)
IMPORT_COLUMNS_MISSING = define(
    "IMPORT_COLUMNS_MISSING",
    status=400,
    title="The import file lacks required columns",
    description="The header row must name the columns the import kind needs; `details` lists the missing ones and "
    "the accepted names.",
)
IMPORT_NOT_RUNNABLE = define(
    "IMPORT_NOT_RUNNABLE",
    status=409,
    title="This import cannot be run",
    description="An import runs once, after its dry run. One whose dry run found errors runs only with "
    "`skipInvalidRows: true` (the rows with errors are then reported as skipped); fix the file and upload it again "
    "otherwise.",
)
