from enum import StrEnum

class EmailMessageStatusEnum(StrEnum):
    BOUNCED = "bounced"
    DEFERRED = "deferred"
    DELIVERED = "delivered"
    DROPPED = "dropped"
    FAILED = "failed"
    QUEUED = "queued"
    SENT = "sent"
    SPAMREPORT = "spamreport"
    SUPPRESSED = "suppressed"

    def __str__(self) -> str:
        return str(self.value)
