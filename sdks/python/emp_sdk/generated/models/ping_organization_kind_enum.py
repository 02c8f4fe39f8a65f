from enum import StrEnum

class PingOrganizationKindEnum(StrEnum):
    DEVELOPER = "developer"
    ORGANIZER = "organizer"
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
