from enum import StrEnum

class ExportSchedulesRetrieveFormat(StrEnum):
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
