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
