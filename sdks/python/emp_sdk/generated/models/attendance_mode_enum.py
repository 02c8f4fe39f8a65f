from enum import StrEnum

class AttendanceModeEnum(StrEnum):
    HYBRID = "hybrid"
    IN_PERSON = "in_person"
    ONLINE = "online"

    def __str__(self) -> str:
        return str(self.value)
