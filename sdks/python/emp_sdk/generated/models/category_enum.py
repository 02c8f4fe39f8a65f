from enum import StrEnum

class CategoryEnum(StrEnum):
    CONCERT = "concert"
    CONFERENCE = "conference"
    EXHIBITION = "exhibition"
    MEETUP = "meetup"
    NETWORKING = "networking"
    OTHER = "other"
    SEMINAR = "seminar"
    SPORTS = "sports"
    TRAINING = "training"
    WEBINAR = "webinar"
    WORKSHOP = "workshop"

    def __str__(self) -> str:
        return str(self.value)
