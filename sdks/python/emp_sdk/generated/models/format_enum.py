from enum import StrEnum

class FormatEnum(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
