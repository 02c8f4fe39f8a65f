from enum import StrEnum

class InvoicesRetrieveFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"
    XML = "xml"

    def __str__(self) -> str:
        return str(self.value)
