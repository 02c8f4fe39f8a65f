"""Settings for the Event Management Platform.

Everything comes from the environment (django-environ) with defaults that work
on a single machine: SQLite, a database cache, local media. Production points
DATABASE_URL and CACHE_URL at PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.conf import global_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, or from an ignored local file made on first run."""
    from_env = env.str("SECRET_KEY", default="")
    if from_env:
        return from_env
    path = Path(env.str("SECRET_KEY_FILE", default=str(BASE_DIR / ".secret_key")))
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _oauth_signing_key() -> str:
    """The RSA private key (PEM) that signs access and ID tokens: OAUTH_JWT_PRIVATE_KEY, or a key made on first run.

    The development key is written once to an ignored file (OAUTH_JWT_PRIVATE_KEY_FILE,
    default var/oauth_jwt_private.pem); concurrent first runs (test workers) agree on
    one key because the file is linked into place atomically.
    """
    from_env = env.str("OAUTH_JWT_PRIVATE_KEY", default="").replace("\\n", "\n").strip()
    if from_env:
        return from_env
    path = Path(env.str("OAUTH_JWT_PRIVATE_KEY_FILE", default=str(VAR_DIR / "oauth_jwt_private.pem")))
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        path.parent.mkdir(parents=True, exist_ok=True)
        pem = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            .decode()
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w") as out:
            out.write(pem)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def _pem_blocks(text: str) -> list[str]:
    """The PEM blocks in ``text`` (escaped newlines allowed, as in .env files)."""
    text = text.replace("\\n", "\n")
    return re.findall(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", text, flags=re.S)


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "X-Forwarded-Proto" or "X-Forwarded-Proto,https" (Django's META name also works)."""
    name, _, value = raw.partition(",")
    if not name.strip():
        return None
    meta = name.strip().upper().replace("-", "_")
    return (meta if meta.startswith("HTTP_") else f"HTTP_{meta}", value.strip() or "https")


SECRET_KEY = _secret_key()
# Keys retired by a rotation, still accepted (signed values, OAuth client secret hashes, which move to SECRET_KEY
# at their next use); comma-separated.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The model admin at /admin/, for platform superusers only (core.admin_site); organizers use /console/.
    "core.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "django_celery_beat",
    "core",
    "accounts",
    "connectors",
    "sso",
    "api",
    "events",
    "registrations",
    "payments",
    "integrations",
    "communications",
    "portal",
    # The public status page (/status/): components from the health checks, incidents, maintenance, feeds, emails.
    "status",
    "console",
    # The real-time stream (/api/v1/stream: WebSocket and Server-Sent Events) on Django Channels (ADR 0031).
    "channels",
    "realtime",
    # Accounts of the developer portal: sign-up, email verification, password reset, TOTP (docs/portal-accounts.md).
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "core.correlation.CorrelationIdMiddleware",
    # Counts, times and logs each request (core.metrics, core.logs), around everything below.
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "api.cors.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every HTML page, the CSRF and error pages of the middleware below included (static files excluded).
    "core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session that skipped the second factor is anonymous; members who must set one up are sent to (docs/authentication.md).
    "accounts.signin.SignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "api.middleware.ApiRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# ``?disable_server_side_cursors=true`` on DATABASE_URL (behind PgBouncer in transaction mode, docs/operations.md):
# the URL gives a string, and "false" must not count as true.
_cursors = str(DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", "")).lower()
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = _cursors in {"1", "true", "yes", "on"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing at once when the dev server, the worker and beat overlap.
    # WAL lets readers go on beside the one writer; IMMEDIATE takes the write lock when a transaction
    # begins, so two writers queue on the timeout instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameter binding lets PostgreSQL keep prepared plans of the hot queries (after
    # DATABASE_PREPARE_THRESHOLD runs on one connection). Off behind a pooler that does not keep
    # session state (PgBouncer in transaction mode).
    if env.bool("DATABASE_SERVER_SIDE_BINDING", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    if env.str("DATABASE_PREPARE_THRESHOLD", default=""):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD")
# The longest a write waits for a row lock (PostgreSQL lock_timeout, set per transaction by core.locks)
# before it gives up with 503 BUSY and Retry-After (ADR 0018).
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=3000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}

# The real-time stream (realtime/, ADR 0031). The channel layer carries committed events to the processes that
# hold the clients: in memory by default (one server process; it also polls the database for what the worker
# does), Redis (channels-redis) when CHANNEL_LAYER_URL is set, which every web, stream and worker process shares.
CHANNEL_LAYER_URL = env.str("CHANNEL_LAYER_URL", default="")
if CHANNEL_LAYER_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py waits 5 s for an answer by default, as long as channels-redis' blocking pop: longer.
                "hosts": [{"address": CHANNEL_LAYER_URL, "socket_timeout": 30}],
                "prefix": env.str("CHANNEL_LAYER_PREFIX", default="emp:stream"),
                # A slow client's backlog: past it, events for that client are dropped (it resumes from the outbox).
                "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=500),
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 500}}}
STREAM_KEEPALIVE_SECONDS = env.float("STREAM_KEEPALIVE_SECONDS", default=15.0)
STREAM_POLL_SECONDS = env.float("STREAM_POLL_SECONDS", default=2.0)  # the in-memory layer only
STREAM_REVALIDATE_SECONDS = env.float("STREAM_REVALIDATE_SECONDS", default=60.0)
STREAM_RESUME_LIMIT = env.int("STREAM_RESUME_LIMIT", default=1000)

AUTH_USER_MODEL = "accounts.User"
# Django's hashers, then the OAuth client secrets' keyed hash (accounts.oauth.hashers, CLIENT_SECRET_HASHER): last,
# so it is never the one user passwords are made with; listed so that the toolkit recognises stored secrets.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "accounts.oauth.hashers.ClientSecretHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One sign-in for the portal, the console and the authorization server: allauth's (accounts.signin).
LOGIN_URL = "account_login"
# The platform's accounts (django-allauth under /portal/accounts/). The first backend loads a session's user with
# what accounts.signin judges the session on (its second factor), in the same query.
AUTHENTICATION_BACKENDS = [
    "accounts.signin.SessionUserBackend",
    "accounts.signin.AllauthSessionBackend",
]
LOGIN_REDIRECT_URL = "/portal/dashboard/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/portal/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.DeveloperSignupForm"
ACCOUNT_ADAPTER = "portal.adapter.PortalAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Event Platform Developers] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# Sign-in, sign-up and reset attempts (allauth's limits, kept in the cache); off with the platform's rate limits.
ACCOUNT_RATE_LIMITS = (
    {
        "login": "30/m/ip",
        "login_failed": "10/m/ip,5/300s/key",
        "signup": "20/m/ip",
        "reset_password": "20/m/ip,5/m/key",
        "reset_password_from_key": "20/m/ip",
        "confirm_email": "1/3m/key",
        "change_password": "5/m/user",
        "reauthenticate": "10/m/user",
    }
    if env.bool("RATE_LIMITS_ENABLED", default=True)
    else False
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Single sign-on (sso, ADR 0021): where a claimed domain publishes its verification token, how long the previous
# SAML key stays published after a rotation, how long an AuthnRequest waits for its answer, outbound timeouts.
SSO_DOMAIN_VERIFICATION_URL = env.str(
    "SSO_DOMAIN_VERIFICATION_URL", default="https://{domain}/.well-known/emp-domain-verification.txt"
)
SSO_SP_KEY_GRACE_DAYS = env.int("SSO_SP_KEY_GRACE_DAYS", default=14)
SSO_REQUEST_LIFETIME_SECONDS = env.int("SSO_REQUEST_LIFETIME_SECONDS", default=600)
SSO_HTTP_TIMEOUT = env.float("SSO_HTTP_TIMEOUT", default=5.0)
# An identity provider's SAML metadata fetched from its URL (sso.metadata): the most read, and whether plain http and
# loopback addresses may be fetched (local development and tests only).
SSO_METADATA_MAX_BYTES = env.int("SSO_METADATA_MAX_BYTES", default=1_000_000)
SSO_METADATA_ALLOW_HTTP = env.bool("SSO_METADATA_ALLOW_HTTP", default=False)
SSO_METADATA_ALLOW_LOOPBACK = env.bool("SSO_METADATA_ALLOW_LOOPBACK", default=False)
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Event Platform Developers")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# WhiteNoise warns on every start when STATIC_ROOT is missing; with finders on it may stay empty.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Serve static files from the apps' folders without collectstatic (single-machine runs).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# Every message goes through communications' backend: an organization's mail is queued and sent through its
# SendGrid connection (or the platform's key); the rest, and everything when no vendor is configured, through
# EMAIL_FALLBACK_BACKEND (SMTP or the console) (docs/adr/0026-email-and-calendars.md).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="communications.backends.EmailBackend")
EMAIL_FALLBACK_BACKEND = env.str("EMAIL_FALLBACK_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The platform's SendGrid key (empty: organizations without a connection of their own send through the fallback).
SENDGRID_API_KEY = env.str("SENDGRID_API_KEY", default="")
# The public key that verifies the platform account's signed event webhook (base64 DER, as SendGrid shows it).
SENDGRID_WEBHOOK_VERIFICATION_KEY = env.str("SENDGRID_WEBHOOK_VERIFICATION_KEY", default="")
SENDGRID_WEBHOOK_TOLERANCE_SECONDS = env.int("SENDGRID_WEBHOOK_TOLERANCE_SECONDS", default=600)
# Recipients per SendGrid request when one text goes to many (reminders, surveys, event changes); at most 1,000.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=500)
# After a request whose answer was lost, how long SendGrid's Email Activity is given to list the message before
# the platform concludes it was not accepted and sends it again.
EMAIL_ACTIVITY_SETTLE_SECONDS = env.int("EMAIL_ACTIVITY_SETTLE_SECONDS", default=300)
# anymail's settings: the SendGrid v3 base URL (a local fake in tests and benchmarks).
ANYMAIL = {"SENDGRID_API_URL": env.str("SENDGRID_API_URL", default="https://api.sendgrid.com/v3/")}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Event Platform <no-reply@localhost>")

# "django.contrib.sessions.backends.cached_db" saves a query a request when CACHE_URL is Redis.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
# Cookies travel over https only when the site is served over https (SITE_URL); http://127.0.0.1 keeps working.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SITE_URL.startswith("https://"))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Transport security (docs/transport-security.md). Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER names the
# header it sets ("X-Forwarded-Proto", or "Name,value"; value https by default) so that requests it received over
# https count as secure; without it every request looks like http and the https redirect would loop.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env.str("SECURE_PROXY_SSL_HEADER", default=""))
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SITE_URL.startswith("https://"))
# Paths (regular expressions, no leading slash) answered over http too: a load balancer's health checks by default.
SECURE_REDIRECT_EXEMPT = env.list("SECURE_REDIRECT_EXEMPT", default=[r"^health/"])
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SITE_URL.startswith("https://") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SITE_URL.startswith("https://"))
# Preloading commits the whole domain to https in browsers for months and is slow to undo: the domain's
# owner opts in, so it is off by default and its deploy-check reminder (security.W021) is silenced while off.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Uploads: session materials. Larger bodies are refused with 413 in the API error format.
MATERIAL_MAX_BYTES = env.int("MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# REST API v1 conventions (api/).
# Minor versions (X-API-Version) and deprecations are declared in one registry: api/versions.py.
API_IDEMPOTENCY_TTL_SECONDS = env.int("API_IDEMPOTENCY_TTL_SECONDS", default=24 * 3600)
# Server-side cache of API reads, invalidated by every committed write of the organization
# (api/readcache.py). 0 turns it off; worth it with a shared in-memory cache (Redis).
API_READ_CACHE_SECONDS = env.int("API_READ_CACHE_SECONDS", default=0)
# Request metering (api.metering): each worker counts requests per API key and OAuth application in memory
# and adds them to the database every API_USAGE_FLUSH_SECONDS or API_USAGE_FLUSH_REQUESTS requests, whichever
# comes first, and at exit; a crash loses at most that interval. Rows are kept API_USAGE_RETENTION_DAYS.
API_USAGE_METERING = env.bool("API_USAGE_METERING", default=True)
API_USAGE_FLUSH_SECONDS = env.float("API_USAGE_FLUSH_SECONDS", default=30.0)
API_USAGE_FLUSH_REQUESTS = env.int("API_USAGE_FLUSH_REQUESTS", default=1000)
API_USAGE_RETENTION_DAYS = env.int("API_USAGE_RETENTION_DAYS", default=30)
# The change feed (GET /api/v1/changes, core.changes.purge, ADR 0032): changes older than CHANGE_RETENTION_DAYS are
# deleted (a cursor behind them answers 410 CHANGE_CURSOR_EXPIRED); a change superseded by a later one of the same
# object is deleted once older than CHANGE_COMPACTION_SETTLE_SECONDS.
CHANGE_RETENTION_DAYS = env.int("CHANGE_RETENTION_DAYS", default=90)
CHANGE_COMPACTION_SETTLE_SECONDS = env.int("CHANGE_COMPACTION_SETTLE_SECONDS", default=3600)
# Rate limits (api.ratelimit): on by default. The state lives in Redis when RATE_LIMIT_REDIS_URL (or a
# redis:// CACHE_URL) is set, else in the database (a single machine).
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
_cache_url = env.str("CACHE_URL", default="")
RATE_LIMIT_REDIS_URL = env.str(
    "RATE_LIMIT_REDIS_URL", default=_cache_url if _cache_url.startswith(("redis://", "rediss://")) else ""
)
RATE_LIMIT_STORE = "redis" if RATE_LIMIT_REDIS_URL else "database"
RATE_LIMIT_REDIS_PREFIX = env.str("RATE_LIMIT_REDIS_PREFIX", default="rl")
# A request in flight holds a concurrency slot at most this long (a worker killed mid-request frees it then).
RATE_LIMIT_LEASE_SECONDS = env.int("RATE_LIMIT_LEASE_SECONDS", default=120)
# Rate-limit tiers of the integration specification (section 8.1): requests a minute, burst, concurrent requests.
RATE_LIMIT_TIERS = {
    "anonymous": {"per_minute": 30, "burst": 10, "concurrent": 5},
    "user": {"per_minute": 60, "burst": 20, "concurrent": 10},
    "partner": {"per_minute": 300, "burst": 100, "concurrent": 25},
    "internal": {"per_minute": 600, "burst": 200, "concurrent": 50},
}
# Celery (config/celery.py). The default broker is the filesystem under var/celery: no server on a
# single machine. CELERY_BROKER_URL=redis://... or amqp://... in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_celery_folder = Path(env.str("CELERY_FILESYSTEM_FOLDER", default=str(VAR_DIR / "celery" / "queue")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_folder.mkdir(parents=True, exist_ok=True)
    (_celery_folder.parent / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folder),
        "data_folder_out": str(_celery_folder),
        "processed_folder": str(_celery_folder.parent / "processed"),
        "store_processed": False,
        # Exchange bindings; Kombu's default is a "control" folder in the working directory.
        "control_folder": str(_celery_folder.parent / "control"),
    }
else:
    # Redis redelivers a message not acknowledged within this time (a worker killed mid-task): longer
    # than the longest task, shorter than the patience of a webhook receiver. Workers look for such
    # messages every CELERY_RESTORE_INTERVAL seconds. A key prefix lets deployments share one Redis.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
        "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": 1,
    }
    if env.str("CELERY_REDIS_KEY_PREFIX", default=""):
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env.str("CELERY_REDIS_KEY_PREFIX")
# A request that enqueues after its commit (core.jobs.send_now) must not wait for a broker that is down:
# without this kombu retries the connection for about 6 s before giving up (measured against a closed
# Redis port; tests/integrations/test_broker_down.py pins it). Workers reconnect on their own terms
# (CELERY_BROKER_CONNECTION_RETRY*), which this does not change.
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = 0
# The queue every task goes to and every worker reads, unless a task says otherwise.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks record their outcome in the database (deliveries, export jobs), not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_RESULT_EXPIRES = None  # no results to clean up: keeps celery.backend_cleanup out of the beat schedule
# A task is acknowledged after it ran, and given back to the broker when its worker dies, so a
# killed worker leads to a redelivery, never to a lost job. Tasks are idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"


def _every(variable: str, default: int) -> dict[str, int]:
    """A beat schedule in seconds (JOB_*_SECONDS); a tick nobody ran before the next one is dropped."""
    seconds = env.int(variable, default=default)
    return {"schedule": seconds, "options": {"expire_seconds": seconds}}


# The periodic jobs, declared once: beat's DatabaseScheduler writes these entries into the
# django_celery_beat tables at every start (update_or_create by name), where the admin console shows them.
CELERY_BEAT_SCHEDULE = {
    "expire-pending-registrations": {
        "task": "registrations.expire_pending",
        **_every("JOB_EXPIRE_REGISTRATIONS_SECONDS", 60),
    },
    "complete-ended-events": {"task": "events.complete_ended", **_every("JOB_COMPLETE_EVENTS_SECONDS", 15 * 60)},
    "purge-rate-limits": {"task": "api.purge_rate_limits", **_every("JOB_PURGE_RATE_LIMITS_SECONDS", 5 * 60)},
    "purge-idempotency-keys": {"task": "api.purge_idempotency_keys", **_every("JOB_PURGE_IDEMPOTENCY_SECONDS", 3600)},
    "purge-api-usage": {"task": "api.purge_usage", **_every("JOB_PURGE_API_USAGE_SECONDS", 24 * 3600)},
    "clear-expired-oauth-tokens": {
        "task": "accounts.clear_expired_oauth_tokens",
        **_every("JOB_CLEAR_OAUTH_TOKENS_SECONDS", 24 * 3600),
    },
    # Webhooks: outbox rows whose dispatch was missed and retries that are due; attempts past 30 days.
    "webhooks-sweep": {"task": "integrations.tasks.sweep", **_every("JOB_WEBHOOK_SWEEP_SECONDS", 30)},
    "webhooks-purge": {"task": "integrations.tasks.purge", **_every("JOB_WEBHOOK_PURGE_SECONDS", 24 * 3600)},
    # Connectors: jobs and vendor notifications whose message was lost or that wait for a retry; logs past 30 days.
    "connectors-sweep": {"task": "connectors.tasks.sweep", **_every("JOB_CONNECTOR_SWEEP_SECONDS", 30)},
    # Messages due by the clock: reminders (09:00 in the event's time zone), check-in instructions, surveys, certificates.
    "email-schedule": {"task": "communications.tasks.run_schedule", **_every("JOB_EMAIL_SCHEDULE_SECONDS", 300)},
    # The change feed (ADR 0032): number what no reader numbered, drop superseded changes and those past the retention.
    "changes-purge": {"task": "core.purge_changes", **_every("JOB_CHANGES_PURGE_SECONDS", 24 * 3600)},
    "connectors-purge": {"task": "connectors.tasks.purge", **_every("JOB_CONNECTOR_PURGE_SECONDS", 24 * 3600)},
    # Export jobs whose message was lost or whose worker died halfway (their lease ran out).
    "exports-sweep": {"task": "integrations.sweep_exports", **_every("JOB_EXPORT_SWEEP_SECONDS", 60)},
    # Scheduled exports: start the occurrences that are due, send runs whose retry is due (integrations.schedules).
    "export-schedules": {"task": "integrations.export_schedules_tick", **_every("JOB_EXPORT_SCHEDULES_SECONDS", 60)},
    # Import jobs whose message was lost or whose worker died halfway (registrations.imports).
    "imports-sweep": {"task": "registrations.sweep_imports", **_every("JOB_IMPORT_SWEEP_SECONDS", 60)},
    # Receipts whose send task was lost (broker down, worker killed) or failed past its retries.
    "receipts-sweep": {"task": "payments.sweep_receipts", **_every("JOB_RECEIPT_SWEEP_SECONDS", 5 * 60)},
    # The worker's heartbeat for /health/ready (core.health); beat's own is written as it sends this.
    "heartbeat": {"task": "core.heartbeat", **_every("HEALTH_HEARTBEAT_SECONDS", 30)},
    # Calendars (ADR 0027): renew change-notification channels before they expire; sync outbox rows whose message was lost.
    "calendars-sweep": {"task": "integrations.calendars_sweep", **_every("JOB_CALENDAR_SWEEP_SECONDS", 5 * 60)},
    # Gateway payments left open or whose notification was missed: ask the gateway (payments.reconcile).
    "payments-reconcile": {"task": "payments.reconcile_gateways", **_every("JOB_PAYMENT_RECONCILE_SECONDS", 5 * 60)},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# -- Health checks (core.health, docs/operations.md) ----------------------------------------------
# What /health/ready checks (and fails on): database, cache, broker, worker, beat. A load balancer in front of web
# instances that should keep serving while the workers are down drops worker and beat here.
HEALTH_READY_CHECKS = env.list("HEALTH_READY_CHECKS", default=["database", "cache", "broker", "worker", "beat"])
# A heartbeat older than this fails its check: three missed beats (HEALTH_HEARTBEAT_SECONDS) by default.
HEALTH_WORKER_MAX_AGE_SECONDS = env.float(
    "HEALTH_WORKER_MAX_AGE_SECONDS", default=3 * env.int("HEALTH_HEARTBEAT_SECONDS", default=30)
)
HEALTH_BEAT_MAX_AGE_SECONDS = env.float(
    "HEALTH_BEAT_MAX_AGE_SECONDS", default=3 * env.int("HEALTH_HEARTBEAT_SECONDS", default=30)
)
# The longest the broker check waits for a connection.
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=2.0)
# Workers keep their database connections (config/celery.py): up to this many seconds, checked before each
# task's first query (CONN_HEALTH_CHECKS) so one the server dropped is replaced, not failed on. A new
# connection costs PostgreSQL more than a short task's queries do. 0 closes them after each task.
WORKER_CONN_MAX_AGE = env.int("WORKER_CONN_MAX_AGE", default=600)
# Celery's Django fix-up closes every connection before and after each task unless this is set (it then
# closes them every 2 x this many tasks); the worker applies Django's rules instead (config/celery.py).
CELERY_DB_REUSE_MAX = 2**31 if WORKER_CONN_MAX_AGE else None
# print() and tracebacks go to the process output as they are, not through a logger one fragment a line.
CELERY_WORKER_REDIRECT_STDOUTS = False

# -- Payment gateways -------------------------------------------------------------------------
# A gateway payment still open this long after it was last checked is asked about (payments.reconcile)...
PAYMENT_RECONCILE_AFTER_SECONDS = env.int("PAYMENT_RECONCILE_AFTER_SECONDS", default=15 * 60)
# ...for this many days after it was created.
PAYMENT_RECONCILE_WINDOW_DAYS = env.int("PAYMENT_RECONCILE_WINDOW_DAYS", default=3)
# Stripe's API (the `stripe` package's api_base); tests point it at their local fake.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")

# -- Webhooks (integrations) -------------------------------------------------------------------
# Secret encryption at rest (core.secrets): comma-separated Fernet keys, the first encrypts, all decrypt.
# Without it, one key derived from SECRET_KEY (a single machine).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[])
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=15.0)
# A claimed delivery is not due again until its timeout and this grace have passed: a worker that dies
# mid-request leaves the delivery to the sweep after that, never to two senders at once.
WEBHOOK_LEASE_GRACE_SECONDS = env.float("WEBHOOK_LEASE_GRACE_SECONDS", default=60.0)
WEBHOOK_USER_AGENT = env.str("WEBHOOK_USER_AGENT", default="EventPlatform-Webhooks/1.0")
# Deliveries a task message carries (claimed together, sent side by side, recorded together).
WEBHOOK_BATCH_SIZE = env.int("WEBHOOK_BATCH_SIZE", default=10)
# Local development only: accept http:// subscription URLs, and deliver to loopback addresses.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
# The platform's outbound addresses, published for receivers that allowlist them.
WEBHOOK_SOURCE_IPS = env.list("WEBHOOK_SOURCE_IPS", default=[])

# -- Connectors (docs/adr/0020-connector-framework.md) -------------------------------------------
# Every vendor call: connect and read timeouts; attempts in one call and the longest wait between them (a
# longer Retry-After ends the call, and a job's own schedule waits instead); the first retry's base wait.
CONNECTOR_CONNECT_TIMEOUT_SECONDS = env.float("CONNECTOR_CONNECT_TIMEOUT_SECONDS", default=5.0)
CONNECTOR_READ_TIMEOUT_SECONDS = env.float("CONNECTOR_READ_TIMEOUT_SECONDS", default=20.0)
CONNECTOR_RETRY_ATTEMPTS = env.int("CONNECTOR_RETRY_ATTEMPTS", default=3)
CONNECTOR_RETRY_MAX_WAIT_SECONDS = env.float("CONNECTOR_RETRY_MAX_WAIT_SECONDS", default=5.0)
CONNECTOR_RETRY_BASE_SECONDS = env.float("CONNECTOR_RETRY_BASE_SECONDS", default=0.5)
# The circuit breaker of each connection: consecutive failures that open it, and its cool-down before a probe.
CONNECTOR_BREAKER_FAILURES = env.int("CONNECTOR_BREAKER_FAILURES", default=5)
CONNECTOR_BREAKER_COOLDOWN_SECONDS = env.int("CONNECTOR_BREAKER_COOLDOWN_SECONDS", default=60)
# Connector jobs and notifications: attempts before giving up, and how long a worker holds one it runs.
CONNECTOR_JOB_MAX_ATTEMPTS = env.int("CONNECTOR_JOB_MAX_ATTEMPTS", default=20)
CONNECTOR_JOB_LEASE_SECONDS = env.int("CONNECTOR_JOB_LEASE_SECONDS", default=300)
# A job's wait between attempts doubles up to this many seconds (a vendor back after an outage is retried soon).
CONNECTOR_JOB_BACKOFF_MAX_SECONDS = env.int("CONNECTOR_JOB_BACKOFF_MAX_SECONDS", default=900)
# Call logs and notifications are kept this many days.
CONNECTOR_LOG_RETENTION_DAYS = env.int("CONNECTOR_LOG_RETENTION_DAYS", default=30)
# -- Documents and receipts (core.documents, payments.receipts; ADR 0023) -----------------------------
# DejaVu Sans from here prints any name as written; without it PDFs use Helvetica (Latin-1).
DOCUMENT_FONT_DIR = env.str("DOCUMENT_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
# A receipt being sent is not claimable again before this many seconds (longer than the mail server's timeout).
RECEIPT_LEASE_SECONDS = env.int("RECEIPT_LEASE_SECONDS", default=300)
RECEIPT_MAX_ATTEMPTS = env.int("RECEIPT_MAX_ATTEMPTS", default=10)
RECEIPT_SWEEP_WINDOW_HOURS = env.int("RECEIPT_SWEEP_WINDOW_HOURS", default=72)
RECEIPT_SWEEP_GRACE_SECONDS = env.int("RECEIPT_SWEEP_GRACE_SECONDS", default=120)
RECEIPT_MESSAGE_ID_DOMAIN = env.str("RECEIPT_MESSAGE_ID_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost")

# -- PayPal (payments/providers/paypal.py) --------------------------------------------------------
# The REST API's base URL and the IPN postback URL; empty: PayPal's sandbox or live host, by the connection's mode.
PAYPAL_API_BASE = env.str("PAYPAL_API_BASE", default="")
PAYPAL_IPN_VERIFY_URL = env.str("PAYPAL_IPN_VERIFY_URL", default="")
# -- Calendars (integrations.calendars, ADR 0027) ----------------------------------------------------
# The platform's OAuth clients at Google and Microsoft (empty: that vendor cannot be connected), and the base URLs
# of their consent pages, token endpoints and APIs (local fakes in tests).
GOOGLE_CALENDAR_CLIENT_ID = env.str("GOOGLE_CALENDAR_CLIENT_ID", default="")
GOOGLE_CALENDAR_CLIENT_SECRET = env.str("GOOGLE_CALENDAR_CLIENT_SECRET", default="")
GOOGLE_OAUTH_AUTHORIZE_URL = env.str("GOOGLE_OAUTH_AUTHORIZE_URL", default="https://accounts.google.com/o/oauth2/v2/auth")
GOOGLE_OAUTH_TOKEN_URL = env.str("GOOGLE_OAUTH_TOKEN_URL", default="https://oauth2.googleapis.com/token")
GOOGLE_CALENDAR_API_URL = env.str("GOOGLE_CALENDAR_API_URL", default="https://www.googleapis.com/calendar/v3")
MICROSOFT_CLIENT_ID = env.str("MICROSOFT_CLIENT_ID", default="")
MICROSOFT_CLIENT_SECRET = env.str("MICROSOFT_CLIENT_SECRET", default="")
MICROSOFT_OAUTH_AUTHORIZE_URL = env.str(
    "MICROSOFT_OAUTH_AUTHORIZE_URL", default="https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
)
MICROSOFT_OAUTH_TOKEN_URL = env.str(
    "MICROSOFT_OAUTH_TOKEN_URL", default="https://login.microsoftonline.com/common/oauth2/v2.0/token"
)
MICROSOFT_GRAPH_API_URL = env.str("MICROSOFT_GRAPH_API_URL", default="https://graph.microsoft.com/v1.0")
# -- Batch exports (integrations.exports) -----------------------------------------------------------
EXPORT_BATCH_ROWS = env.int("EXPORT_BATCH_ROWS", default=2000)
EXPORT_LEASE_SECONDS = env.int("EXPORT_LEASE_SECONDS", default=120)
EXPORT_URL_TTL_SECONDS = env.int("EXPORT_URL_TTL_SECONDS", default=900)
EXPORT_FILE_TTL_SECONDS = env.int("EXPORT_FILE_TTL_SECONDS", default=7 * 24 * 3600)
# Scheduled exports (integrations.schedules): attempts of a run before it fails and its owner is told, the first
# retry's wait (doubling, with jitter, at most 6 h), and how long an https destination may take to answer.
EXPORT_SCHEDULE_MAX_ATTEMPTS = env.int("EXPORT_SCHEDULE_MAX_ATTEMPTS", default=6)
EXPORT_SCHEDULE_RETRY_BASE_SECONDS = env.float("EXPORT_SCHEDULE_RETRY_BASE_SECONDS", default=60.0)
EXPORT_SCHEDULE_POST_TIMEOUT_SECONDS = env.float("EXPORT_SCHEDULE_POST_TIMEOUT_SECONDS", default=60.0)
# -- Imports (registrations.imports): the largest file and the most rows one import takes ------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)

API_ERROR_DOCS_URL = env.str("API_ERROR_DOCS_URL", default="")
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=14)
# How long a paid registration holds its seat while payment is pending (per-event override in the app).
REGISTRATION_PENDING_TTL_MINUTES = env.int("REGISTRATION_PENDING_TTL_MINUTES", default=30)

# OAuth 2.0 authorization server with OpenID Connect (django-oauth-toolkit, mounted at /o/).
# Its models are swapped into accounts; see docs/authentication.md and ADR 0005.
OAUTH2_PROVIDER_APPLICATION_MODEL = "accounts.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "accounts.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "accounts.RefreshToken"
OAUTH2_PROVIDER_GRANT_MODEL = "accounts.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "accounts.IDToken"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "accounts.DeviceGrant"
# The issuer (``iss`` of every token, RFC 8414 and OpenID discovery) and the audience of access tokens.
OAUTH_ISSUER = env.str("OAUTH_ISSUER", default=f"{SITE_URL}/o").rstrip("/")
# The token, revocation and introspection endpoints count every request against the caller's address in this tier,
# and against the client it names in the application's tier (accounts.oauth.views.ClientRateLimited).
OAUTH_ADDRESS_RATE_TIER = env.str("OAUTH_ADDRESS_RATE_TIER", default="partner")
OAUTH_JWT_AUDIENCE = env.str("OAUTH_JWT_AUDIENCE", default=f"{SITE_URL}/api/v1")
OAUTH_JWT_PRIVATE_KEY = _oauth_signing_key()
# Public keys of retired signing keys, still published at the JWKS endpoint (and accepted) during a rotation.
OAUTH_JWT_PREVIOUS_PUBLIC_KEYS = _pem_blocks(env.str("OAUTH_JWT_PREVIOUS_PUBLIC_KEYS", default=""))


def _oauth_scopes() -> dict[str, str]:
    from accounts.scopes import SCOPES

    return {name: description for name, (description, _) in SCOPES.items()}


OAUTH2_PROVIDER = {
    "SCOPES": _oauth_scopes(),
    "SCOPES_BACKEND_CLASS": "accounts.oauth.validators.ApplicationScopes",
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.validators.PlatformOAuth2Validator",
    # Every error answered with an error_description (RFC 6749 section 5.2).
    "OAUTH2_BACKEND_CLASS": "accounts.oauth.backend.PlatformOAuthLibCore",
    # Access tokens are RS256 JWTs (RFC 9068); refresh tokens stay opaque random strings.
    "ACCESS_TOKEN_GENERATOR": "accounts.oauth.tokens.signed_access_token",
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_REFRESH_TOKEN_SECONDS", default=30 * 24 * 3600),
    "ID_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ID_TOKEN_SECONDS", default=600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # RFC 9700 section 2.1.1: PKCE for every client, S256 only (plain is refused by the gate below).
    "PKCE_REQUIRED": True,
    # RFC 9700 section 4.14.2: rotate refresh tokens; replaying a rotated one revokes its whole family.
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    # Exact redirect URI matching; https only. Loopback http for native apps (RFC 8252) is admitted per
    # application (Application.get_allowed_schemes and Application.clean).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    # Client secrets are random: a keyed hash, not 1,000,000 PBKDF2 iterations a request (accounts.oauth.hashers).
    "CLIENT_SECRET_HASHER": "hmac_sha256",
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,  # first-party applications are let through by our validator
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": OAUTH_ISSUER,
    "OIDC_RSA_PRIVATE_KEY": OAUTH_JWT_PRIVATE_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": OAUTH_JWT_PREVIOUS_PUBLIC_KEYS,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    "APPLICATION_ADMIN_CLASS": "accounts.admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "accounts.admin.AccessTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "accounts.admin.RefreshTokenAdmin",
    "GRANT_ADMIN_CLASS": "accounts.admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "accounts.admin.IDTokenAdmin",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "api.authentication.OAuthTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    # Proxies in front of the app whose X-Forwarded-For is trusted (client addresses, IP allowlists).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsOrganizationMember"],
    # JSON only: the one upload (session materials) adds the multipart parser on its own view.
    "DEFAULT_PARSER_CLASSES": ["api.casing.CamelCaseJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.casing.CamelCaseJSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.FlexiblePagination",
    "DEFAULT_METADATA_CLASS": "api.metadata.ApiMetadata",
    "DEFAULT_SCHEMA_CLASS": "api.schema.PlatformAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Event Management Platform API",
    "DESCRIPTION": (
        "REST API v1 of the Event Management Platform. JSON field names and query "
        "parameters are camelCase. Every error has the shape described by `ErrorResponse`."
    ),
    "VERSION": "1.0",
    "LICENSE": {"name": "Proprietary", "url": f"{SITE_URL}/portal/guide/"},
    "CONTACT": {"name": "Developer portal", "url": f"{SITE_URL}/portal/"},
    "SERVERS": [{"url": SITE_URL, "description": "This installation (SITE_URL)"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the page loads nothing from other origins (core.csp).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # OpenAPI 3.1 for its ``webhooks`` section: the webhook catalog (integrations.catalog).
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": "integrations.catalog.OPENAPI_WEBHOOKS",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.camelize_schema",
        "api.schema.conventions",
        "api.schema.deprecations",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.roles.Role.choices",
        "EventStatusEnum": "events.models.EventStatus.choices",
        "SessionStatusEnum": "events.models.SessionStatus.choices",
        "EventVisibilityEnum": "events.models.Visibility.choices",
        "TicketVisibilityEnum": "registrations.models.TicketVisibility.choices",
        "RegistrationStatusEnum": "registrations.models.RegistrationStatus.choices",
        "WebhookDeliveryStatusEnum": "integrations.models.DeliveryStatus.choices",
        "InvitationStatusEnum": "accounts.serializers.INVITATION_STATUSES",
        "ApiKeyStatusEnum": "accounts.serializers.API_KEY_STATUSES",
        "RateTierEnum": "accounts.models.RateTier.choices",
        "WebhookDisabledReasonEnum": "integrations.serializers.DISABLED_REASONS",
        "ConnectionKindEnum": "connectors.models.Kind.choices",
        "DisputeStatusEnum": "payments.models.DisputeStatus.choices",
        "PaymentStatusEnum": "payments.models.PaymentStatus.choices",
        "EmailMessageTypeEnum": "communications.models.MessageType.choices",
        "EmailTemplateTypeEnum": "communications.serializers.TYPES",
        "EmailMessageStatusEnum": "communications.models.MessageStatus.choices",
        "ExportTypeEnum": "integrations.serializers.EXPORT_TYPES",
        "ImportStatusEnum": "registrations.models.ImportStatus.choices",
        "ImportKindEnum": "registrations.models.ImportKind.choices",
    },
}

# -- Metrics and logs (core.metrics, core.logs, docs/operations.md) ------------------------------
# Prometheus metrics at /metrics, for a scrape with "Authorization: Bearer <METRICS_TOKEN>" or from an address in
# METRICS_ALLOWED_NETWORKS (CIDR, comma-separated; loopback by default). PROMETHEUS_MULTIPROC_DIR (read by
# prometheus-client itself) makes the totals of several processes (gunicorn's workers) one.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=True)
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# json: one JSON object a line (production); text: for a person (the default with DEBUG).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "core.correlation.CorrelationIdFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["correlation"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The stripe package logs every request at INFO; the call log (connectors) keeps what matters.
        "stripe": {"level": "WARNING"},
    },
}
