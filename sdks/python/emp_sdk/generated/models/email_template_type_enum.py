from enum import StrEnum

class EmailTemplateTypeEnum(StrEnum):
    CERTIFICATE = "certificate"
    CHECKIN_INSTRUCTIONS = "checkin_instructions"
    EVENT_UPDATE = "event_update"
    PAYMENT_RECEIPT = "payment_receipt"
    REGISTRATION_CONFIRMATION = "registration_confirmation"
    REMINDER = "reminder"
    SURVEY = "survey"

    def __str__(self) -> str:
        return str(self.value)
