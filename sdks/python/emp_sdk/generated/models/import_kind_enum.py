from enum import StrEnum

class ImportKindEnum(StrEnum):
    ATTENDEES = "attendees"
    REGISTRATIONS = "registrations"

    def __str__(self) -> str:
        return str(self.value)
