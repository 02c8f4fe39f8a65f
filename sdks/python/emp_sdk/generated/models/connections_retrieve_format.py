from enum import StrEnum

class ConnectionsRetrieveFormat(StrEnum):
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
