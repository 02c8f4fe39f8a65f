from enum import StrEnum

class ConnectionStatusEnum(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    FAILING = "failing"

    def __str__(self) -> str:
        return str(self.value)
