from enum import StrEnum

class OutcomeEnum(StrEnum):
    CIRCUIT_OPEN = "circuit_open"
    ERROR = "error"
    OK = "ok"
    REJECTED = "rejected"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
