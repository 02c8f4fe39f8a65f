from enum import StrEnum

class MaterialKindEnum(StrEnum):
    FILE = "file"
    LINK = "link"

    def __str__(self) -> str:
        return str(self.value)
