from enum import StrEnum

class SubscriptionStatusEnum(StrEnum):
    ACTIVE = "active"
    CANCELED = "canceled"
    INCOMPLETE = "incomplete"
    PAST_DUE = "past_due"

    def __str__(self) -> str:
        return str(self.value)
