from enum import StrEnum

class SessionStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
