from core.errors import define

EVENT_INVALID_TRANSITION = define(
    "EVENT_INVALID_TRANSITION",
    status=409,
    title="The event cannot move to that status",
    description="Draft events can be published; draft and published events can be cancelled; "
    "published events that have ended can be completed.",
)
EVENT_NOT_EDITABLE = define(
    "EVENT_NOT_EDITABLE",
    status=409,
    title="The event can no longer be changed",
    description="Cancelled and completed events are read-only, and so are their sessions and speakers.",
)
EVENT_NOT_DELETABLE = define(
    "EVENT_NOT_DELETABLE",
    status=409,
    title="Only draft events can be deleted",
    description="Cancel a published event instead. A series can be deleted only while it and all its sub-events are drafts.",
)
EVENT_NOT_ENDED = define(
    "EVENT_NOT_ENDED",
    status=409,
    title="The event has not ended yet",
    description="An event can be completed only after its end time.",
)
EVENT_SERIES_INVALID = define(
    "EVENT_SERIES_INVALID",
    status=409,
    title="The event cannot hold sub-events",
    description="Sub-events hang under a top-level event that is not cancelled or completed; a sub-event cannot have sub-events.",
)
SUB_EVENT_EXISTS = define(
    "SUB_EVENT_EXISTS",
    status=409,
    title="A sub-event already starts at that time",
    description="Leave out the occurrences listed in `details`; they exist already.",
)
CAPACITY_EXCEEDS_VENUE = define(
    "CAPACITY_EXCEEDS_VENUE",
    status=400,
    title="The event's capacity is larger than the venue's",
    description="Lower the event capacity, or pick a bigger venue.",
)
VENUE_IN_USE = define(
    "VENUE_IN_USE",
    status=409,
    title="The venue is used by events",
    description="Move the events to another venue before deleting this one.",
)
SESSION_OUTSIDE_EVENT = define(
    "SESSION_OUTSIDE_EVENT",
    status=400,
    title="The session does not fit inside the event",
    description="A session starts and ends within its event's start and end.",
)
SESSION_ROOM_CLASH = define(
    "SESSION_ROOM_CLASH",
    status=409,
    title="The room is booked for another session at that time",
    description="`clash` names the session that holds the room; move one of them.",
)
SESSION_SPEAKER_CLASH = define(
    "SESSION_SPEAKER_CLASH",
    status=409,
    title="A speaker is booked for another session at that time",
    description="`clash` names the speaker and the other session.",
)
SESSION_NOT_CANCELLABLE = define(
    "SESSION_NOT_CANCELLABLE",
    status=409,
    title="The session is already cancelled",
    description="A cancelled session stays cancelled; create a new session instead.",
)
EVENT_HAS_ACTIVE_SESSIONS = define(
    "EVENT_HAS_ACTIVE_SESSIONS",
    status=409,
    title="The new times leave sessions outside the event",
    description="Move or cancel the sessions listed in `details` first.",
)
SPEAKER_IN_USE = define(
    "SPEAKER_IN_USE",
    status=409,
    title="The speaker is assigned to sessions",
    description="Remove the speaker from their sessions before deleting them.",
)
MATERIAL_TOO_LARGE = define(
    "MATERIAL_TOO_LARGE",
    status=413,
    title="The file is larger than allowed",
    description="Session materials are limited in size; the limit is in `details`.",
)
MATERIAL_TYPE_NOT_ALLOWED = define(
    "MATERIAL_TYPE_NOT_ALLOWED",
    status=415,
    title="This kind of file is not accepted",
    description="Upload PDF, slides (PPTX, KEY, ODP), documents (DOCX, ODT, TXT, MD), images (PNG, JPEG) or ZIP.",
)
