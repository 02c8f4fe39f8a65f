from enum import StrEnum

class ReportsRevenueRetrieveGroupBy(StrEnum):
    DAY = "day"
    EVENT = "event"
    TICKETTYPE = "ticketType"

    def __str__(self) -> str:
        return str(self.value)
