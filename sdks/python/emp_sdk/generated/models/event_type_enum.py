from enum import StrEnum

class EventTypeEnum(StrEnum):
    CHECKIN_COMPLETED = "checkin.completed"
    EVENT_CANCELLED = "event.cancelled"
    EVENT_CREATED = "event.created"
    EVENT_PUBLISHED = "event.published"
    EVENT_UPDATED = "event.updated"
    PAYMENT_COMPLETED = "payment.completed"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUNDED = "payment.refunded"
    REGISTRATION_CANCELLED = "registration.cancelled"
    REGISTRATION_CONFIRMED = "registration.confirmed"
    REGISTRATION_CREATED = "registration.created"
    SESSION_CANCELLED = "session.cancelled"
    SESSION_CREATED = "session.created"
    SESSION_UPDATED = "session.updated"

    def __str__(self) -> str:
        return str(self.value)
