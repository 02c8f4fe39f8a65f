from core.errors import define

ORGANIZATION_NOT_FOUND = define(
    "ORGANIZATION_NOT_FOUND",
    status=404,
    title="The organization could not be found",
    description="The X-Organization-ID header names an organization you are not a member of.",
)
LAST_OWNER = define(
    "LAST_OWNER",
    status=409,
    title="An organization must keep at least one owner",
    description="Make another member an owner before removing or demoting this one.",
)
OWNER_ROLE_RESTRICTED = define(
    "OWNER_ROLE_RESTRICTED",
    status=403,
    title="Only owners may grant, change or remove the owner role",
    description="Ask an owner of the organization.",
)
ALREADY_MEMBER = define(
    "ALREADY_MEMBER",
    status=409,
    title="The person is already a member",
    description="Change their role instead of inviting them again.",
)
INVITATION_PENDING = define(
    "INVITATION_PENDING",
    status=409,
    title="An invitation for this email is already pending",
    description="Revoke the pending invitation first, or wait for it to be accepted.",
)
INVITATION_INVALID = define(
    "INVITATION_INVALID",
    status=404,
    title="The invitation is not valid",
    description="The token is unknown, expired, revoked, already used, or addressed to another email.",
)
API_KEY_NOT_ACTIVE = define(
    "API_KEY_NOT_ACTIVE",
    status=409,
    title="The API key is revoked or expired",
    description="Only an active key can be rotated. Create a new key instead.",
)
SANDBOX_UNAVAILABLE = define(
    "SANDBOX_UNAVAILABLE",
    status=403,
    title="The organization has no sandbox for test credentials",
    description="Test API keys (`emp_test_`) and the tokens of test OAuth applications act only in the sandbox of "
    "their organization, and this organization has none yet.",
)
SANDBOX_LIVE_CREDENTIALS = define(
    "SANDBOX_LIVE_CREDENTIALS",
    status=403,
    title="Live credentials never act in a sandbox",
    description="The key or application belongs to a sandbox organization but is in live mode; sandboxes accept only "
    "test credentials.",
)
TWO_FACTOR_REQUIRED = define(
    "TWO_FACTOR_REQUIRED",
    status=403,
    title="Two-factor authentication must be set up first",
    description="An organization you are a member of requires two-factor authentication. Set up an authenticator "
    "app at /portal/accounts/2fa/ and sign in again with it; until then the session opens no page and no API call.",
)
