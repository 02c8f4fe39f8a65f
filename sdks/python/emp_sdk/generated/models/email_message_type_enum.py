from enum import StrEnum

class EmailMessageTypeEnum(StrEnum):
    CERTIFICATE = "certificate"
    CHECKIN_INSTRUCTIONS = "checkin_instructions"
    EVENT_UPDATE = "event_update"
    OTHER = "other"
    PAYMENT_RECEIPT = "payment_receipt"
    REGISTRATION_CONFIRMATION = "registration_confirmation"
    REMINDER = "reminder"
    SURVEY = "survey"

    def __str__(self) -> str:
        return str(self.value)
