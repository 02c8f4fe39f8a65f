from enum import StrEnum

class PingClientTypeEnum(StrEnum):
    API_KEY = "api_key"
    OAUTH_APPLICATION = "oauth_application"

    def __str__(self) -> str:
        return str(self.value)
