from enum import StrEnum

class RegistrationsTicketRetrieveFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"

    def __str__(self) -> str:
        return str(self.value)
