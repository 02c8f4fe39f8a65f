from enum import StrEnum

class EventsSessionsListFormat(StrEnum):
    CSV = "csv"
    ICS = "ics"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
