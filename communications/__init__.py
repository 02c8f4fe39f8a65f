"""Messages to attendees (email through the connectors, SendGrid first) and their delivery tracking (ADR 0026)."""
