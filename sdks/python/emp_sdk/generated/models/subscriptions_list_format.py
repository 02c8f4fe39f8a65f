from enum import StrEnum

class SubscriptionsListFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
