from enum import StrEnum

class ImportStatusEnum(StrEnum):
    FAILED = "failed"
    INVALID = "invalid"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    VALIDATED = "validated"

    def __str__(self) -> str:
        return str(self.value)
