from enum import StrEnum

class KtyEnum(StrEnum):
    OKP = "OKP"

    def __str__(self) -> str:
        return str(self.value)
