from enum import StrEnum

class ApiKeysRetrieveFormat(StrEnum):
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
