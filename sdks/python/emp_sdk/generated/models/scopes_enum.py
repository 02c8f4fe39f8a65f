from enum import StrEnum

class ScopesEnum(StrEnum):
    CHECKINSWRITE = "checkins:write"
    CONNECTIONSREAD = "connections:read"
    CONNECTIONSWRITE = "connections:write"
    EMAIL = "email"
    EVENTSREAD = "events:read"
    EVENTSWRITE = "events:write"
    OPENID = "openid"
    PAYMENTSREAD = "payments:read"
    PAYMENTSWRITE = "payments:write"
    PROFILE = "profile"
    REGISTRATIONSREAD = "registrations:read"
    REGISTRATIONSWRITE = "registrations:write"
    REPORTSREAD = "reports:read"
    SSOREAD = "sso:read"
    SSOWRITE = "sso:write"
    USERSREAD = "users:read"
    USERSWRITE = "users:write"
    WEBHOOKSREAD = "webhooks:read"
    WEBHOOKSWRITE = "webhooks:write"

    def __str__(self) -> str:
        return str(self.value)
