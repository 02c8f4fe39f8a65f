from enum import StrEnum

class ConnectionKindEnum(StrEnum):
    CALENDAR = "calendar"
    CRM = "crm"
    EMAIL = "email"
    FILE_TRANSFER = "file_transfer"
    PAYMENT = "payment"
    SOCIAL = "social"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
