from enum import StrEnum

class EventsRetrieveFormat(StrEnum):
    ICS = "ics"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
