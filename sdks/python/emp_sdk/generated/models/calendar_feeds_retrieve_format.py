from enum import StrEnum

class CalendarFeedsRetrieveFormat(StrEnum):
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
