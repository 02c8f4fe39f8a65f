from enum import StrEnum

class RoleEnum(StrEnum):
    ADMIN = "admin"
    CHECKIN = "checkin"
    EDITOR = "editor"
    FINANCE = "finance"
    OWNER = "owner"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
