from enum import StrEnum

class EventsSessionsMaterialsListFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
