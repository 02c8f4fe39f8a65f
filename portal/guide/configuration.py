"""The environment variables of ``config/settings.py``, read from its source, with what each one means.

``variables()`` parses the settings module with ``ast`` at request time and finds
every ``env.<type>("NAME", default=...)`` call, also inside helper functions of
the settings (``_every("JOB_..._SECONDS", 60)`` reads ``env.int(variable, ...)``).
The descriptions live only here; a test fails for a variable without one.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SETTINGS_FILE = Path(settings.BASE_DIR) / "config" / "settings.py"

# Variables a production deployment sets (the defaults suit a single machine only).
PRODUCTION = frozenset(
    {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "DATABASE_URL",
        "CACHE_URL",
        "CELERY_BROKER_URL",
        "CHANNEL_LAYER_URL",
        "EMAIL_BACKEND",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "OAUTH_JWT_PRIVATE_KEY",
        "FIELD_ENCRYPTION_KEY",
    }
)

DESCRIPTIONS: dict[str, str] = {
    "SECRET_KEY": "Django's signing key. Without it a random key is generated into `SECRET_KEY_FILE` on first run.",
    "SECRET_KEY_FALLBACKS": "Earlier signing keys, comma separated, still accepted while a new `SECRET_KEY` rolls out (sessions, signed links and the keyed hashes of OAuth client secrets).",
    "SECRET_KEY_FILE": "Where the generated development secret key is kept.",
    "OAUTH_JWT_PRIVATE_KEY": "RSA private key (PEM, `\\n` escapes allowed) signing access and ID tokens. Without it a key is generated into `OAUTH_JWT_PRIVATE_KEY_FILE`.",
    "OAUTH_JWT_PRIVATE_KEY_FILE": "Where the generated development signing key is kept.",
    "DEBUG": "Django debug mode; never on in production.",
    "ALLOWED_HOSTS": "Comma-separated host names the server answers to.",
    "CSRF_TRUSTED_ORIGINS": "Comma-separated origins (scheme and host) trusted for console form posts behind a proxy.",
    "SITE_URL": "The public base URL, used in emails and in the `documentation` link of errors.",
    "DATABASE_URL": "The database, e.g. `postgres://user@host:5432/db`; SQLite by default.",
    "CONN_MAX_AGE": "Seconds a database connection is kept open (0: one per request).",
    "WORKER_CONN_MAX_AGE": "Seconds a Celery worker keeps its database connection between tasks, health-checked before use; 0 closes it after each task.",
    "DATABASE_SERVER_SIDE_BINDING": "PostgreSQL: bind parameters on the server so hot queries can be prepared; off behind a pooler in transaction mode.",
    "DATABASE_PREPARE_THRESHOLD": "PostgreSQL with server-side binding: prepare a query after this many runs on one connection.",
    "DB_LOCK_TIMEOUT_MS": "PostgreSQL: the longest a write waits for a row lock (`SET LOCAL lock_timeout`) before it answers 503 `BUSY` with `Retry-After`.",
    "CACHE_URL": "The cache, e.g. `redis://127.0.0.1:6379/1`; a database table by default. A Redis cache also holds the rate-limit state.",
    "STATIC_ROOT": "Where `collectstatic` gathers static files.",
    "MEDIA_ROOT": "Where uploaded files (session materials) are stored.",
    "WHITENOISE_USE_FINDERS": "Serve static files straight from the apps without `collectstatic` (development).",
    "EMAIL_BACKEND": "Django email backend. The default queues an organization's mail through its SendGrid connection (or the platform's key) and hands the rest to `EMAIL_FALLBACK_BACKEND`.",
    "EMAIL_FALLBACK_BACKEND": "Where mail goes without a vendor (development, the portal's account emails): the console backend prints it; set an SMTP backend to send it.",
    "SENDGRID_API_KEY": "The platform's SendGrid API key, used for organizations without a SendGrid connection of their own (empty: they use `EMAIL_FALLBACK_BACKEND`).",
    "SENDGRID_API_URL": "SendGrid's v3 API base URL (anymail's `SENDGRID_API_URL`); a local fake in tests and benchmarks.",
    "SENDGRID_WEBHOOK_VERIFICATION_KEY": "The public key (base64, as SendGrid shows it) verifying the platform account's signed event webhook.",
    "SENDGRID_WEBHOOK_TOLERANCE_SECONDS": "How old a signed SendGrid event webhook's timestamp may be before it is refused.",
    "EMAIL_BATCH_SIZE": "Recipients per SendGrid request when one text goes to many (reminders, surveys, event changes); at most 1,000.",
    "EMAIL_ACTIVITY_SETTLE_SECONDS": "After a SendGrid request whose answer was lost, how long its Email Activity is given to list the message before it is sent again.",
    "DEFAULT_FROM_EMAIL": "Sender of the platform's emails.",
    "SESSION_ENGINE": "Console session storage, e.g. `django.contrib.sessions.backends.cached_db` with Redis.",
    "SESSION_COOKIE_SECURE": "Send the session cookie over HTTPS only.",
    "MFA_TOTP_ISSUER": "The issuer name authenticator apps show next to a developer portal TOTP code.",
    "SSO_DOMAIN_VERIFICATION_URL": "Where a claimed email domain publishes its verification token before it routes single sign-on (`{domain}` is replaced); an https file on the domain itself.",
    "SSO_SP_KEY_GRACE_DAYS": "Days the previous SAML key of an identity provider stays published in the metadata (and decrypting) after a rotation.",
    "SSO_REQUEST_LIFETIME_SECONDS": "How long a SAML AuthnRequest or LogoutRequest waits for its answer; a response to an older one is refused.",
    "SSO_HTTP_TIMEOUT": "Seconds the platform waits for a domain's verification file, an identity provider's metadata URL, or an OpenID provider's endpoints.",
    "SSO_METADATA_MAX_BYTES": "The largest SAML metadata document the platform fetches from an identity provider's metadata URL.",
    "SSO_METADATA_ALLOW_HTTP": "Fetch identity-provider metadata from plain `http://` URLs (local development only; metadata carries the keys sign-ins are checked with).",
    "SSO_METADATA_ALLOW_LOOPBACK": "Fetch identity-provider metadata from loopback addresses (local development and tests only).",
    "CSRF_COOKIE_SECURE": "Send the CSRF cookie over HTTPS only.",
    "SECURE_PROXY_SSL_HEADER": (
        "Behind a proxy that terminates TLS: the header it sets on HTTPS requests, `X-Forwarded-Proto` or `Name,value`."
    ),
    "SECURE_SSL_REDIRECT": "Redirect HTTP requests to HTTPS (on when `SITE_URL` is https).",
    "SECURE_REDIRECT_EXEMPT": "Paths (regular expressions, no leading slash) also answered over HTTP; the health checks (`^health/`) by default.",
    "SECURE_HSTS_SECONDS": "`Strict-Transport-Security` max-age in seconds (a year when `SITE_URL` is https, else off).",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "Add `includeSubDomains` to `Strict-Transport-Security`.",
    "SECURE_HSTS_PRELOAD": "Add `preload` to `Strict-Transport-Security` (off: the domain's owner opts in).",
    "MATERIAL_MAX_BYTES": "Largest session material upload, in bytes.",
    "DATA_UPLOAD_MAX_MEMORY_SIZE": "Largest request body held in memory, in bytes (larger is 413 `PAYLOAD_TOO_LARGE`).",
    "API_IDEMPOTENCY_TTL_SECONDS": "How long responses to requests with an `Idempotency-Key` are kept for replay.",
    "API_READ_CACHE_SECONDS": "Server-side cache of API reads, retired by every write of the organization (0: off).",
    "API_USAGE_METERING": "Count API requests per API key and OAuth application for the portal's Usage page (in memory, written in bulk).",
    "API_USAGE_FLUSH_SECONDS": "How often each worker writes its request counts to the database; a crash loses at most this interval.",
    "API_USAGE_FLUSH_REQUESTS": "Each worker also writes its request counts after this many metered requests.",
    "API_USAGE_RETENTION_DAYS": "How long hourly request counts are kept before the daily purge deletes them.",
    "CHANGE_RETENTION_DAYS": "Days the change feed (`GET /api/v1/changes`) keeps a change, deletions included; a cursor behind a change deleted for its age answers 410 `CHANGE_CURSOR_EXPIRED`.",
    "CHANGE_COMPACTION_SETTLE_SECONDS": "How old a change must be before the daily purge drops it for a later change of the same row (the later one tells the partner everything).",
    "RATE_LIMITS_ENABLED": "Per-client rate limits of the tiers below.",
    "RATE_LIMIT_REDIS_URL": "Redis holding the rate-limit buckets; defaults to a Redis `CACHE_URL`, else the database.",
    "RATE_LIMIT_REDIS_PREFIX": "Key prefix of the rate-limit state in Redis.",
    "RATE_LIMIT_LEASE_SECONDS": "The longest a request holds a concurrency slot (a killed worker frees it then).",
    "OAUTH_ADDRESS_RATE_TIER": "The rate-limit tier of one address at the OAuth token, introspection and revocation endpoints (`partner` by default).",
    "CHANNEL_LAYER_URL": "The real-time stream's channel layer, e.g. `redis://127.0.0.1:6379/2`: every web, stream and worker process publishes to it and each stream client is reached through it. Empty: in memory, one server process only, which also polls the database for the worker's changes.",
    "CHANNEL_LAYER_PREFIX": "A prefix for the channel layer's Redis keys (deployments sharing one Redis).",
    "CHANNEL_LAYER_CAPACITY": "Messages one stream connection may have waiting in the channel layer; past it a slow client misses events and resumes from its last event id.",
    "STREAM_KEEPALIVE_SECONDS": "How often an idle stream sends a keep-alive (an SSE comment), so proxies keep the connection open.",
    "STREAM_POLL_SECONDS": "With the in-memory channel layer only: how often a stream reads its organization's new events and webhook deliveries from the database (changes made by the worker and other processes); 0 turns it off.",
    "STREAM_REVALIDATE_SECONDS": "How often a stream checks its credentials again (a revoked key or a removed member is cut off within this time).",
    "STREAM_RESUME_LIMIT": "The most events a reconnecting stream client is sent after its last event id; more missed events answer `stream.reset`.",
    "CELERY_BROKER_URL": "The job broker: `redis://...` or `amqp://...` in production; a folder on disk by default.",
    "CELERY_FILESYSTEM_FOLDER": "The folder of the default filesystem broker.",
    "CELERY_VISIBILITY_TIMEOUT": "Redis broker: seconds before a task held by a dead worker is delivered again.",
    "CELERY_RESTORE_INTERVAL": "Redis broker: how often workers look for such tasks.",
    "CELERY_REDIS_KEY_PREFIX": "Redis broker: a prefix of every key, for deployments sharing one Redis.",
    "CELERY_QUEUE": "The queue tasks go to and workers read.",
    "CELERY_TASK_ALWAYS_EAGER": "Run tasks in the calling process instead of a worker (tests, debugging).",
    "JOB_EXPIRE_REGISTRATIONS_SECONDS": "How often unpaid registrations past their payment window are expired.",
    "JOB_COMPLETE_EVENTS_SECONDS": "How often ended events are completed.",
    "JOB_PURGE_RATE_LIMITS_SECONDS": "How often stale rate-limit rows are purged.",
    "JOB_PURGE_IDEMPOTENCY_SECONDS": "How often expired idempotency keys are purged.",
    "JOB_PURGE_API_USAGE_SECONDS": "How often request counts older than `API_USAGE_RETENTION_DAYS` are purged.",
    "JOB_CLEAR_OAUTH_TOKENS_SECONDS": "How often expired OAuth tokens are cleared.",
    "JOB_WEBHOOK_SWEEP_SECONDS": "How often missed outbox rows and due webhook retries are picked up.",
    "JOB_WEBHOOK_PURGE_SECONDS": "How often delivery attempts older than 30 days are purged.",
    "JOB_CONNECTOR_SWEEP_SECONDS": "How often connector jobs and vendor notifications that are due or were missed are run.",
    "JOB_EMAIL_SCHEDULE_SECONDS": "How often due reminders, check-in instructions, surveys and certificates are queued (each once per attendee).",
    "JOB_CHANGES_PURGE_SECONDS": "How often the change feed is purged: changes older than `CHANGE_RETENTION_DAYS` and superseded changes older than `CHANGE_COMPACTION_SETTLE_SECONDS`.",
    "JOB_CONNECTOR_PURGE_SECONDS": "How often connector call logs and notifications older than `CONNECTOR_LOG_RETENTION_DAYS` are purged.",
    "CONNECTOR_CONNECT_TIMEOUT_SECONDS": "Seconds to open a connection to a vendor.",
    "CONNECTOR_READ_TIMEOUT_SECONDS": "Seconds a vendor may take to answer a call.",
    "CONNECTOR_RETRY_ATTEMPTS": "Attempts of one vendor call when the vendor is down, slow or rate-limits (same idempotency key each time).",
    "CONNECTOR_RETRY_MAX_WAIT_SECONDS": "The longest wait between two attempts in one call; a longer `Retry-After` ends the call and the job's schedule waits instead.",
    "CONNECTOR_RETRY_BASE_SECONDS": "The first retry's wait; each further retry doubles it, with full jitter.",
    "CONNECTOR_BREAKER_FAILURES": "Consecutive failed calls that open a connection's circuit breaker.",
    "CONNECTOR_BREAKER_COOLDOWN_SECONDS": "Seconds an open circuit refuses calls before one probe call is let through.",
    "CONNECTOR_JOB_MAX_ATTEMPTS": "Attempts of a connector job or a vendor notification before it is given up and reported.",
    "CONNECTOR_JOB_LEASE_SECONDS": "How long a worker holds a connector job or notification it is running (a crashed worker's is taken over after it).",
    "CONNECTOR_JOB_BACKOFF_MAX_SECONDS": "The longest wait between two attempts of a connector job (the wait doubles up to it).",
    "CONNECTOR_LOG_RETENTION_DAYS": "Days connector call logs and vendor notifications are kept.",
    "PAYPAL_API_BASE": "PayPal's REST API base URL; empty: `https://api-m.sandbox.paypal.com` for test connections, `https://api-m.paypal.com` for live ones.",
    "PAYPAL_IPN_VERIFY_URL": "Where IPN messages are posted back (`cmd=_notify-validate`); empty: `https://ipnpb.sandbox.paypal.com/cgi-bin/webscr` (test) or `https://ipnpb.paypal.com/cgi-bin/webscr` (live).",
    "GOOGLE_CALENDAR_CLIENT_ID": "The platform's OAuth client id at Google for connecting personal calendars (empty: Google Calendar cannot be connected).",
    "GOOGLE_CALENDAR_CLIENT_SECRET": "The secret of that Google OAuth client.",
    "GOOGLE_OAUTH_AUTHORIZE_URL": "Google's consent page (authorization endpoint); a local fake in tests.",
    "GOOGLE_OAUTH_TOKEN_URL": "Google's token endpoint (code exchange and refresh).",
    "GOOGLE_CALENDAR_API_URL": "Google Calendar API v3's base URL.",
    "MICROSOFT_CLIENT_ID": "The platform's application (client) id in Microsoft Entra for connecting Outlook calendars (empty: Outlook cannot be connected).",
    "MICROSOFT_CLIENT_SECRET": "The client secret of that Microsoft application.",
    "MICROSOFT_OAUTH_AUTHORIZE_URL": "The Microsoft identity platform's authorization endpoint (`common` tenant by default).",
    "MICROSOFT_OAUTH_TOKEN_URL": "The Microsoft identity platform's token endpoint.",
    "MICROSOFT_GRAPH_API_URL": "Microsoft Graph's v1.0 base URL.",
    "JOB_EXPORT_SWEEP_SECONDS": "How often export jobs whose worker died or whose message was lost are sent again.",
    "EXPORT_BATCH_ROWS": "Rows an export reads per query (and holds in memory at once).",
    "EXPORT_LEASE_SECONDS": "An export whose worker has not reported progress for this long is taken over by another worker.",
    "EXPORT_URL_TTL_SECONDS": "How long a signed export download link works.",
    "EXPORT_FILE_TTL_SECONDS": "How long an export's file is kept for download.",
    "EXPORT_SCHEDULE_MAX_ATTEMPTS": "Attempts of a scheduled export's run before it fails and its owner is emailed.",
    "EXPORT_SCHEDULE_RETRY_BASE_SECONDS": "The first retry's wait of a scheduled export's delivery (doubling, with jitter).",
    "EXPORT_SCHEDULE_POST_TIMEOUT_SECONDS": "How long an https destination of a scheduled export may take to answer.",
    "JOB_EXPORT_SCHEDULES_SECONDS": "How often due scheduled exports are started and due retries sent.",
    "IMPORT_MAX_BYTES": "The largest import file taken (CSV or XLSX); a larger one is refused with 413 `IMPORT_FILE_TOO_LARGE`.",
    "IMPORT_MAX_ROWS": "The most rows below the header an import file may have; more is refused with 413 `IMPORT_TOO_MANY_ROWS`.",
    "JOB_IMPORT_SWEEP_SECONDS": "How often import jobs whose worker died or whose message was lost are sent again.",
    "JOB_RECEIPT_SWEEP_SECONDS": "How often invoices whose receipt email was missed are sent again.",
    "JOB_CALENDAR_SWEEP_SECONDS": "How often Google channels and Graph subscriptions expiring within a day are renewed, and calendar changes whose sync message was lost are synced.",
    "DOCUMENT_FONT_DIR": "Folder with DejaVu Sans (`DejaVuSans.ttf`, `DejaVuSans-Bold.ttf`) for PDF documents; without it they use Helvetica and Latin-1 only.",
    "RECEIPT_LEASE_SECONDS": "A receipt email being sent is not sent by another worker before this many seconds (longer than the mail server's timeout).",
    "JOB_PAYMENT_RECONCILE_SECONDS": "How often gateway payments left open (or whose notification was missed) are checked with the gateway.",
    "PAYMENT_RECONCILE_AFTER_SECONDS": "A gateway payment still open this long after it was last checked is asked about.",
    "PAYMENT_RECONCILE_WINDOW_DAYS": "Gateway payments older than this many days are no longer reconciled.",
    "STRIPE_API_BASE": "The base URL of Stripe's API (the `stripe` package's `api_base`); tests point it at a local fake.",
    "RECEIPT_MAX_ATTEMPTS": "Attempts at a receipt email before the sweep leaves it to a person (the last error is on the invoice).",
    "RECEIPT_SWEEP_WINDOW_HOURS": "The sweep sends missed receipts of invoices issued within this many hours.",
    "RECEIPT_SWEEP_GRACE_SECONDS": "The sweep leaves a new invoice's receipt to its own task for this many seconds.",
    "RECEIPT_MESSAGE_ID_DOMAIN": "Domain of receipt emails' Message-ID (one per invoice, so a resent copy is recognised); the host of `SITE_URL` by default.",
    "FIELD_ENCRYPTION_KEY": "Comma-separated Fernet keys encrypting webhook secrets at rest (the first encrypts, all decrypt); derived from `SECRET_KEY` when empty.",
    "WEBHOOK_TIMEOUT_SECONDS": "How long a webhook receiver may take to answer.",
    "WEBHOOK_BATCH_SIZE": "Webhook deliveries a worker task claims and sends side by side.",
    "WEBHOOK_LEASE_GRACE_SECONDS": "A delivery being sent is not due again before its timeout plus this grace.",
    "WEBHOOK_USER_AGENT": "The `User-Agent` of webhook requests.",
    "WEBHOOK_ALLOW_HTTP": "Accept plain `http://` subscription URLs (local development only).",
    "WEBHOOK_ALLOW_LOOPBACK": "Deliver webhooks to loopback addresses (local development and tests only).",
    "WEBHOOK_SOURCE_IPS": "The platform's outbound addresses, published for receivers that allowlist them.",
    "API_ERROR_DOCS_URL": "Base URL of the error reference linked from each error's `documentation`; the platform's own `/api/errors/` when empty.",
    "INVITATION_TTL_DAYS": "Days an invitation to an organization stays valid.",
    "REGISTRATION_PENDING_TTL_MINUTES": "Minutes an unpaid registration holds its seat.",
    "OAUTH_ISSUER": "The authorization server's issuer (`iss`).",
    "OAUTH_JWT_AUDIENCE": "The `aud` of access tokens.",
    "OAUTH_JWT_PREVIOUS_PUBLIC_KEYS": "PEM public keys of retired signing keys, still published and accepted during a key rotation.",
    "OAUTH_ACCESS_TOKEN_SECONDS": "Access token lifetime.",
    "OAUTH_REFRESH_TOKEN_SECONDS": "Refresh token lifetime without use.",
    "OAUTH_ID_TOKEN_SECONDS": "ID token lifetime.",
    "NUM_PROXIES": "Proxies in front of the platform whose `X-Forwarded-For` is trusted (client addresses, IP allowlists, rate limits).",
    "LOG_LEVEL": "Level of the platform's log lines.",
    "LOG_FORMAT": "`json`: one JSON object a line, with the correlation id (the default); `text`: for a person (the default with `DEBUG`).",
    "METRICS_ENABLED": "Count and time requests for Prometheus (`/metrics`).",
    "METRICS_TOKEN": "A bearer token that lets a scraper read `/metrics` from any address.",
    "METRICS_ALLOWED_NETWORKS": "Addresses (CIDR, comma separated) that may read `/metrics` without the token; loopback by default.",
    "HEALTH_READY_CHECKS": "What `/health/ready` checks and fails on: `database`, `cache`, `broker`, `worker`, `beat` (docs/operations.md).",
    "HEALTH_HEARTBEAT_SECONDS": "How often beat sends the worker's heartbeat task (`core.heartbeat`).",
    "HEALTH_WORKER_MAX_AGE_SECONDS": "A worker heartbeat older than this fails the `worker` check (three heartbeats by default).",
    "HEALTH_BEAT_MAX_AGE_SECONDS": "A beat heartbeat older than this fails the `beat` check (three heartbeats by default).",
    "HEALTH_CHECK_TIMEOUT_SECONDS": "The longest the `broker` check waits for a connection.",
}


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # str, int, bool, list, float, db, cache, path
    default: str  # the default as written in the settings ("" when there is none)
    description: str | None

    @property
    def production(self) -> bool:
        return self.name in PRODUCTION


def _env_call(node: ast.AST) -> tuple[str, ast.Call] | None:
    """``(type, call)`` when ``node`` is ``env.<type>(...)``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
    ):
        return node.func.attr, node
    return None


def _default(call: ast.Call, source: str, position: int = 1) -> str:
    for keyword in call.keywords:
        if keyword.arg == "default":
            return ast.get_source_segment(source, keyword.value) or ""
    if len(call.args) > position:
        return ast.get_source_segment(source, call.args[position]) or ""
    return ""


def parse(source: str) -> list[Variable]:
    """Every variable read in ``source``, in the order of first reading."""
    tree = ast.parse(source)
    # Helpers that pass one of their parameters as the name: def _every(variable, default): env.int(variable, ...)
    helpers: dict[str, tuple[str, int]] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            params = [a.arg for a in function.args.args]
            for node in ast.walk(function):
                found = _env_call(node)
                if found and found[1].args and isinstance(found[1].args[0], ast.Name) and found[1].args[0].id in params:
                    helpers[function.name] = (found[0], params.index(found[1].args[0].id))
    seen: dict[str, Variable] = {}
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    for call in calls:
        found = _env_call(call)
        if found and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
            name, kind, default = call.args[0].value, found[0], _default(call, source)
        elif isinstance(call.func, ast.Name) and call.func.id in helpers:
            kind, index = helpers[call.func.id]
            if not (len(call.args) > index and isinstance(call.args[index], ast.Constant)):
                continue
            name, default = str(call.args[index].value), _default(call, source, index + 1)
        else:
            continue
        if name not in seen:
            seen[name] = Variable(name=name, type=kind, default=default, description=DESCRIPTIONS.get(name))
    return list(seen.values())


@functools.cache
def _parsed(mtime: float) -> list[Variable]:
    return parse(SETTINGS_FILE.read_text())


def variables() -> list[Variable]:
    """The variables of the settings module as it is on disk now."""
    return _parsed(SETTINGS_FILE.stat().st_mtime)
