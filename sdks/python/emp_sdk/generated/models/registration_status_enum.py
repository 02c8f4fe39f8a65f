from enum import StrEnum

class RegistrationStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    CONFIRMED = "confirmed"
    PENDING_PAYMENT = "pending_payment"
    WAITLISTED = "waitlisted"

    def __str__(self) -> str:
        return str(self.value)
