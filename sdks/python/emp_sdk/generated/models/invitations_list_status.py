from enum import StrEnum

class InvitationsListStatus(StrEnum):
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
