from enum import StrEnum

class DestinationEnum(StrEnum):
    EMAIL = "email"
    HTTPS = "https"
    SFTP = "sftp"

    def __str__(self) -> str:
        return str(self.value)
