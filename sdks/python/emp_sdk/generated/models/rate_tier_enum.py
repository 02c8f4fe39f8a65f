from enum import StrEnum

class RateTierEnum(StrEnum):
    ANONYMOUS = "anonymous"
    INTERNAL = "internal"
    PARTNER = "partner"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
