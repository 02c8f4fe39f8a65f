from core.errors import define

IDENTITY_PROVIDER_INVALID = define(
    "IDENTITY_PROVIDER_INVALID",
    status=400,
    title="The identity provider's configuration is incomplete or invalid",
    description="A SAML provider needs its entity id, its single sign-on URL and at least one signing certificate "
    "(or a metadata document carrying them); an OpenID Connect provider needs its issuer, client id and client "
    "secret. `target` names the field at fault.",
)
IDENTITY_PROVIDER_METADATA_UNREADABLE = define(
    "IDENTITY_PROVIDER_METADATA_UNREADABLE",
    status=400,
    title="The identity provider's metadata could not be read",
    description="`metadataXml` (or the document at `metadataUrl`) is not a SAML 2.0 EntityDescriptor with an "
    "IDPSSODescriptor (an HTTP-Redirect SingleSignOnService and a signing key), its `validUntil` has passed, or it is "
    "signed and the signature does not verify.",
)
IDENTITY_PROVIDER_METADATA_UNREACHABLE = define(
    "IDENTITY_PROVIDER_METADATA_UNREACHABLE",
    status=400,
    title="The identity provider's metadata URL could not be fetched",
    description="The platform could not read a SAML metadata document at `metadataUrl`: the URL is not https, its host "
    "does not resolve or resolves to a private address, the server did not answer in time, answered with another "
    "status than 200 (redirects are not followed), or sent more than the accepted size. `details` says which.",
)
EMAIL_DOMAIN_TAKEN = define(
    "EMAIL_DOMAIN_TAKEN",
    status=409,
    title="The email domain is already claimed",
    description="This organization already claims the domain, or another organization has verified it. A verified "
    "domain routes sign-ins to one organization only.",
)
EMAIL_DOMAIN_NOT_VERIFIED = define(
    "EMAIL_DOMAIN_NOT_VERIFIED",
    status=409,
    title="The email domain's verification token was not found",
    description="Publish the domain's `verificationToken` at `verificationUrl` (an https file on the domain itself), "
    "then ask for verification again.",
)
SSO_ENFORCED = define(
    "SSO_ENFORCED",
    status=403,
    title="The organization signs in with single sign-on",
    description="Members of an organization that enforces single sign-on cannot sign in with a password, except the "
    "owners marked as break-glass accounts.",
)
SSO_ENFORCE_WITHOUT_PROVIDER = define(
    "SSO_ENFORCE_WITHOUT_PROVIDER",
    status=409,
    title="Single sign-on cannot be enforced yet",
    description="Enforcing single sign-on needs an enabled identity provider, a verified email domain routed to it, and "
    "at least one owner marked as a break-glass account, so that nobody is locked out.",
)
