from enum import StrEnum

class EventsSessionsRetrieveFormat(StrEnum):
    ICS = "ics"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
