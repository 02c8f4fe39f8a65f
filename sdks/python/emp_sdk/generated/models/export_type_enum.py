from enum import StrEnum

class ExportTypeEnum(StrEnum):
    ATTENDEES = "attendees"
    AUDIT = "audit"
    CHECKINS = "checkins"
    FEEDBACK = "feedback"
    INVOICES = "invoices"
    PAYMENTS = "payments"
    REGISTRATIONS = "registrations"
    SESSIONS = "sessions"

    def __str__(self) -> str:
        return str(self.value)
