from enum import StrEnum

class InboundEventStatusEnum(StrEnum):
    FAILED = "failed"
    IGNORED = "ignored"
    PROCESSED = "processed"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
