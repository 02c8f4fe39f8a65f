"""Error codes of messages to attendees."""

from core.errors import define

EMAIL_TEMPLATE_INVALID = define(
    "EMAIL_TEMPLATE_INVALID",
    status=400,
    title="The email template is not valid",
    description="`details` names each part (subject, text, html) that is not a valid template or names a variable "
    "the message type does not document; `GET /api/v1/email-templates` lists each type's variables.",
)
EMAIL_ADDRESS_SUPPRESSED = define(
    "EMAIL_ADDRESS_SUPPRESSED",
    status=409,
    title="The address is on the organization's suppression list",
    description="A message to it bounced or was reported as spam, so nothing more is sent there.",
)
EMAIL_LANGUAGE_INVALID = define(
    "EMAIL_LANGUAGE_INVALID",
    status=400,
    title="Not a language",
    description="A language is a tag such as `en`, `de` or `pt-BR`.",
)
