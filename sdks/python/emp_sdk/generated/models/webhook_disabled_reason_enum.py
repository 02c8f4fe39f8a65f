from enum import StrEnum

class WebhookDisabledReasonEnum(StrEnum):
    FAILING = "failing"
    GONE = "gone"

    def __str__(self) -> str:
        return str(self.value)
