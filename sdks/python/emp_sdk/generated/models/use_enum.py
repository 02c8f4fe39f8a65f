from enum import StrEnum

class UseEnum(StrEnum):
    SIG = "sig"

    def __str__(self) -> str:
        return str(self.value)
