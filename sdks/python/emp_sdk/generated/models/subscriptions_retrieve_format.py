from enum import StrEnum

class SubscriptionsRetrieveFormat(StrEnum):
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
