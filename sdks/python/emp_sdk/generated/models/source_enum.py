from enum import StrEnum

class SourceEnum(StrEnum):
    API_CLIENT = "api_client"
    BATCH = "batch"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
