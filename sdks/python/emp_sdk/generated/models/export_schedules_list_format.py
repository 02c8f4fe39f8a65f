from enum import StrEnum

class ExportSchedulesListFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
