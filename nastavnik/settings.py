"""One settings module, driven by the environment.

Defaults give a working local demo (SQLite, mail to the console, DEBUG on).
Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Production refuses to start on what would otherwise fail later and less clearly: every
# request answered 400 (no host), or the data written to a SQLite file beside the code.
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off "
        "(the site's host names, separated by commas)."
    )
if not DEBUG and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when DJANGO_DEBUG is off "
        "(for example postgres://nastavnik@127.0.0.1:5432/nastavnik)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    # Before django_tasks_db: its `db_worker` command is ours, which also settles lost jobs.
    "nastavnik.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "nastavnik.accounts",
    "nastavnik.orgs",
    "nastavnik.catalogue",
    "nastavnik.people",
    "nastavnik.audit",
    "nastavnik.consents",
    "nastavnik.orders",
    "nastavnik.programmes",
    "nastavnik.questionnaires",
    "nastavnik.mentees",
    "nastavnik.assessments",
    "nastavnik.mentors",
    "nastavnik.matching",
    "nastavnik.mentorships",
    "nastavnik.plans",
    "nastavnik.cabinets",
    "nastavnik.meetings",
    "nastavnik.awards",
    "nastavnik.cases",
    "nastavnik.showcase",
    "nastavnik.monitoring",
    "nastavnik.indicators",
    "nastavnik.concerns",
    # The REST API: ninja here so its docs page uses its bundled static files, not a CDN.
    "ninja",
    "nastavnik.api",
    # Above the apps: pages that gather from many of them, and the demo's data.
    "nastavnik.compliance",
    "nastavnik.dashboards",
    "nastavnik.notifications",
    "nastavnik.demo",
]

MIDDLEWARE = [
    # First, so its process_exception runs last: any view that lost the database gets the 503.
    "nastavnik.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their long-lived caching.
    "nastavnik.core.middleware.RequestScopeMiddleware",
    "nastavnik.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "nastavnik.core.access.AccessDeclaredMiddleware",
]

ROOT_URLCONF = "nastavnik.urls"
WSGI_APPLICATION = "nastavnik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nastavnik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nastavnik.core.context_processors.navigation",
                "nastavnik.notifications.context_processors.unread",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Production keeps a connection per worker thread for a minute: setting one up costs
        # PostgreSQL a process fork and several milliseconds per request. A kept connection is
        # checked before reuse, so the site works again by itself once the database is back.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiler starts on any query its planner guesses costly, and for a page's
# short queries the compiling is the cost: a count over a school's students with the consent
# checks spent ~110 ms compiling to run in ~10. Off for this application's connections only.
# A random read is priced as on SSD or in memory (1.1, not the spinning disk's 4): with 4 the
# planner walked the name index against every mentee for a page of the mentee base (14.5 ms)
# or hashed every person for a page of mentors (6.6 ms), with 1.1 it looks them up (2.3 and
# 2.4 ms, the API benchmark's school).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
    )
    # Values sent apart from the SQL, so a query run five times on a connection is prepared and
    # PostgreSQL stops planning it anew: the pages' queries join and nest enough that planning
    # cost more than running (a pupil's cabinet: 10.3 ms planning, 2.1 ms running). On
    # bench-web's school the mix's weighted db_ms went 10.4 → 7.4 (bench/page_cost.py).
    # psycopg keeps at most 100 statements a connection; a transaction-mode pooler such as
    # PgBouncer before 1.21 cannot carry prepared statements (DJANGO_DB_PREPARE=0 turns it off).
    if env_bool("DJANGO_DB_PREPARE", True):
        _options["server_side_binding"] = True
        _options["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five wrong passwords for one account from one address lock that account at
# that address for 15 minutes (so a pupil who forgot a password locks no one else behind the
# school's address). Looser limits per account from anywhere and per address for any account are
# `nastavnik.accounts.throttle`. The counters are in the shared cache, so every worker sees them.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
# The one place that decides a client's address (trusted proxies only).
AXES_CLIENT_IP_CALLABLE = "nastavnik.core.client.client_ip"
LOGIN_TRIES_PER_ACCOUNT = int(os.environ.get("LOGIN_TRIES_PER_ACCOUNT", "20"))
LOGIN_TRIES_PER_ADDRESS = int(os.environ.get("LOGIN_TRIES_PER_ADDRESS", "200"))
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"

# Single sign-on through an OpenID Connect provider for the whole installation (docs/sso.md);
# organisations may add their own in the admin (accounts.IdentityProvider). Off while
# OIDC_ISSUER is empty: the login page is then the password form alone.
SSO_PROVIDER = {
    "issuer": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
    "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
    "client_secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
    "scopes": os.environ.get("OIDC_SCOPES", "openid email profile"),
    # JSON, e.g. {"email": "mail", "first_name": "given_name", "last_name": "family_name"}.
    "claims_mapping": json.loads(os.environ.get("OIDC_CLAIMS_MAPPING") or "{}"),
    "name": os.environ.get("OIDC_BUTTON_LABEL", ""),
}
# Bounds each call to a provider (discovery, keys, token, user info), in seconds.
SSO_TIMEOUT_SECONDS = float(os.environ.get("OIDC_TIMEOUT", "10"))

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Moscow"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# The project's own assets; `nastavnik` itself is a package, not an installed app.
STATICFILES_DIRS = [BASE_DIR / "nastavnik" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: every file is held to its view's limit while the body arrives (scans: UPLOAD_MAX_BYTES,
# people lists: PEOPLE_IMPORT_MAX_BYTES), and a body far over it is not read at all; see
# nastavnik/core/uploads.py. Other request bodies stop at DATA_UPLOAD_MAX_MEMORY_SIZE.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
PEOPLE_IMPORT_MAX_BYTES = int(os.environ.get("PEOPLE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "nastavnik.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, said out loud: 2.5 MB of form fields

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Bounds one send, so a mail task running much longer was lost with its worker (core.jobs).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "nastavnik@localhost")

# Background work: the database backend needs no extra server; `manage.py db_worker` runs it.
# For a region, DJANGO_TASKS_BACKEND=django_tasks_rq.RQBackend keeps the queue in Redis
# (DJANGO_RQ_URL), run by `manage.py rqworker --job-class django_tasks_rq.Job default`.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND.startswith("django_tasks_rq."):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {"URL": os.environ.get("DJANGO_RQ_URL", "redis://127.0.0.1:6379/0")},
    }
# A running import or matching run renews its lease every third of this; one not renewed for
# this long lost its worker and is settled (core.jobs). An unfinished import keeps its stored
# file (personal data) for JOB_RETENTION_HOURS at the most (`manage.py purge_stale_jobs`).
JOB_LEASE_SECONDS = float(os.environ.get("DJANGO_JOB_LEASE_SECONDS", "60"))
JOB_RETENTION_HOURS = float(os.environ.get("DJANGO_JOB_RETENTION_HOURS", "24"))
# The curator's dashboard warns when a queued task has waited this long (no worker running).
TASKS_WAITING_ALERT_MINUTES = int(os.environ.get("DJANGO_TASKS_WAITING_ALERT_MINUTES", "10"))
# The days a half-year assessment (seed 002 §7.2: not later than 30 September and 30 March)
# counts for its deadline, as "MM-DD/MM-DD": a snapshot taken outside both windows (say, in
# December) counts for neither. Read by indicators.deadlines.
HALF_YEAR_WINDOW_SEPTEMBER = os.environ.get("HALF_YEAR_WINDOW_SEPTEMBER", "09-01/10-15")
HALF_YEAR_WINDOW_MARCH = os.environ.get("HALF_YEAR_WINDOW_MARCH", "03-01/04-15")

# Calls one REST API token may make per minute, counted in the shared cache (api.base).
API_RATE_PER_MINUTE = int(os.environ.get("DJANGO_API_RATE_PER_MINUTE", "600"))

# Security headers; the HTTPS ones follow DEBUG so `check --deploy` passes in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Off only for a production-settings server on plain HTTP over loopback (the CI check, the
# load benchmark): a browser never sends a secure cookie back over HTTP.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a reverse proxy: the addresses (or networks, CIDR) of the proxies whose
# X-Forwarded-For is believed. Empty: the client is the peer of the connection (REMOTE_ADDR).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
# X-Forwarded-Proto is believed only when the operator says the proxy sets it (and strips a
# client's own); otherwise any client could claim HTTPS.
if env_bool("DJANGO_PROXY_SETS_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"

# How long an invitation link stays valid.
INVITATION_TTL_DAYS = 14
# Consents (152-ФЗ): the one-time link's lifetime, and how long the data of a person whose
# processing consent was withdrawn or has expired are kept before
# `manage.py depersonalise_expired` depersonalises them (art. 21: thirty days).
CONSENT_LINK_TTL_DAYS = int(os.environ.get("CONSENT_LINK_TTL_DAYS", "14"))
CONSENT_RETENTION_WITHDRAWN_DAYS = int(os.environ.get("CONSENT_RETENTION_WITHDRAWN_DAYS", "30"))
CONSENT_RETENTION_EXPIRED_DAYS = int(os.environ.get("CONSENT_RETENTION_EXPIRED_DAYS", "30"))
# Anonymous surveys: results and text answers are shown once at least this many people have
# answered (never fewer than 3, whatever is set here; see questionnaires.anonymity).
QUESTIONNAIRE_ANONYMITY_MIN = int(os.environ.get("QUESTIONNAIRE_ANONYMITY_MIN", "5"))
# The address people open the system at: links in mail sent without a request to take it from.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000")

# Shared cache: throttling counters (login, questionnaire codes) and drawn charts. Redis when
# DJANGO_CACHE_URL is set (redis://127.0.0.1:6379/0), else a database table that every worker
# process shares (created by the `core` migration, or `manage.py createcachetable`).
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            # Django's, with a counter's incr() in two queries (core/cache.py).
            "BACKEND": "nastavnik.core.cache.DatabaseCache",
            "LOCATION": "nastavnik_cache",
        }
    )
}

# Content-Security-Policy: only this site's own scripts, styles and images; no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No page needs the browser's devices or sensors.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}


def parse_admins(value: str) -> list[tuple[str, str]]:
    """`Name <a@b>, c@d` -> [("Name", "a@b"), ("c@d", "c@d")]."""
    from email.utils import getaddresses

    return [(name or address, address) for name, address in getaddresses([value]) if address]


# Who gets a mail for every server error (500); set with DJANGO_ADMINS.
ADMINS = parse_admins(os.environ.get("DJANGO_ADMINS", ""))
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # The mail says what broke and where, never what was typed or sent: no form values,
        # query values, cookies or local variables (nastavnik.core.errors).
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
            "reporter_class": "nastavnik.core.errors.QuietExceptionReporter",
        },
    },
    # Replaces Django's own "django" logger set-up, whose mail handler would send the full report.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "WARNING"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from nastavnik.core.errors import init_sentry

    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
