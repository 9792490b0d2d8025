"""The one settings module. Every value comes from the environment or an embedded default.

The embedded defaults run on a laptop with nothing installed: SQLite and files
under ``var/``, and a Celery broker kept in a SQLite file. ``DJANGO_ENV=production``
turns on hardening and then insists on the values production cannot guess.

It is one module of over 400 lines on purpose: one place to read every setting, in the
order Django and each app need them, is what "one settings module" promises.
"""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from imhcf.broker import broker_transport_options, embedded_broker_url
from imhcf.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("IMHCF_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_choice("DJANGO_ENV", ("development", "production", "test"), "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=ENVIRONMENT == "development")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names served.")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG cannot be on when DJANGO_ENV=production.")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-never-used-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
IMHCF_BENCH_ENDPOINTS = env_bool("IMHCF_BENCH_ENDPOINTS", default=False) and not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "imhcf",
    "accounts",
    "selfassess",
    "evidence",
    "register",
    "dashboard",
    "credentials",
    "workforce",
    "training",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "imhcf.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's own language wins over the cookie and
    # the browser's Accept-Language, which LocaleMiddleware (above) went by.
    "accounts.middleware.UserLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # request.htmx: whether htmx sent the request (partial page or whole page).
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the person why they were sent to set up MFA.
    "accounts.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "imhcf.urls"
WSGI_APPLICATION = "imhcf.wsgi.application"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

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
                "imhcf.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'imhcf.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's default journal blocks readers during writes; WAL lets the worker
    # and the web process share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleAwareAuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing dominates test time; the algorithm is not what the tests are about.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
# Each language is named in itself (the switcher shows "Cymraeg" to English readers and
# "English" to Welsh ones), so these names are not marked for translation.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# The chosen language lives in this cookie, and on the account of whoever is signed in
# (accounts.User.language, applied by accounts.middleware.UserLanguageMiddleware).
LANGUAGE_COOKIE_NAME = "imhcf_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static files: our own under static/, third-party from node_modules (npm).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
if IMHCF_BENCH_ENDPOINTS:
    # bench/ writes static files the size of each measured page here, as a baseline.
    (VAR_DIR / "bench-static").mkdir(parents=True, exist_ok=True)
    STATICFILES_DIRS.append(("bench", VAR_DIR / "bench-static"))
_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("IMHCF_MANIFEST_STATIC", default=PRODUCTION)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# Private files (evidence, generated PDFs) never sit under a URL: they are read
# only through views that check who is asking.
PRIVATE_STORAGE_ROOT = Path(env_str("IMHCF_PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    }
# Outside production whitenoise serves straight from the finders, so a fresh
# checkout needs no collectstatic and browser tests see edits at once.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": _static_backend},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Sign-in rate limits are counted in this cache. In process memory each gunicorn worker
# would keep its own count (N workers, N times the limit, reset by every restart), so
# production insists on a shared one.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://, rediss:// or unix://).")
if PRODUCTION and not CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must name a Redis server in production: sign-in rate limits need a cache "
        "that every web worker shares."
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions stay in the database alone, not cached_db over Redis: Django's cached_db
# lets a Redis outage fail every signed-in page (its cache writes on load and sign-out
# are not guarded), and a sign-out during one would leave the session alive in Redis.

# Celery: the database holds job state; the broker only wakes the worker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", embedded_broker_url(VAR_DIR))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
    CELERY_BROKER_URL, task_time_limit=CELERY_TASK_TIME_LIMIT
)
CELERY_TIMEZONE = TIME_ZONE

# Email: the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "IMHCF Register <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Operations", a) for a in env_list("DJANGO_ADMIN_EMAILS")]

# Accounts: email is the login, verification is mandatory, nothing enumerates accounts.
SITE_NAME = _("IMHCF Register")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IMHCF] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Sign-in limits, sized for a training room of 60 people behind one NHS or council address
# signing in within two minutes (README, "Sign-in limits"). "login" counts every sign-in
# POST from an address; "login_failed" counts failures only: per address, and per account
# AND address together (accounts.adapter), so a stranger cannot lock a reviewer out.
ACCOUNT_RATE_LIMITS = {
    "login": "300/5m/ip",
    "login_failed": "30/m/ip,300/h/ip,5/5m/key",
}
# Behind a reverse proxy every request comes from the proxy's address; this many trusted
# proxies' X-Forwarded-For entries are skipped to find the client's own.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("IMHCF_TRUSTED_PROXY_COUNT", 0, minimum=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "IMHCF Register"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Paths where reviewers and staff must have MFA before anything is served.
IMHCF_MFA_REQUIRED_PATHS = ("/admin/", "/review/", "/staff/", "/teams/", "/insight/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers. The CSP is set by imhcf.middleware; the rest by Django.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
IMHCF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Evidence files and generated documents.
IMHCF_UPLOAD_MAX_BYTES = env_int("IMHCF_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
IMHCF_USER_QUOTA_BYTES = env_int("IMHCF_USER_QUOTA_BYTES", 250 * 1024 * 1024, minimum=1024)
IMHCF_DOCUMENT_TTL_DAYS = env_int("IMHCF_DOCUMENT_TTL_DAYS", 7, minimum=1)
# A job pending longer than this is re-queued (its broker message may be lost)...
IMHCF_JOB_STALE_SECONDS = env_int("IMHCF_JOB_STALE_SECONDS", 120, minimum=1)
# ...and so is one "running" for longer than a task may run: its worker died.
IMHCF_JOB_RUNNING_STALE_SECONDS = env_int(
    "IMHCF_JOB_RUNNING_STALE_SECONDS", CELERY_TASK_TIME_LIMIT + 30, minimum=1
)
IMHCF_JOB_MAX_ATTEMPTS = env_int("IMHCF_JOB_MAX_ATTEMPTS", 3, minimum=1)
# A document still waiting after this is shown as delayed (it will still be made).
IMHCF_JOB_DELAYED_SECONDS = env_int("IMHCF_JOB_DELAYED_SECONDS", 30, minimum=1)
# The worker runs a heartbeat task this often; with none for IMHCF_WORKER_STALE_SECONDS
# /healthz answers 503 and staff pages say the worker is down.
IMHCF_WORKER_HEARTBEAT_SECONDS = env_int("IMHCF_WORKER_HEARTBEAT_SECONDS", 30, minimum=5)
IMHCF_WORKER_STALE_SECONDS = env_int(
    "IMHCF_WORKER_STALE_SECONDS", 4 * IMHCF_WORKER_HEARTBEAT_SECONDS, minimum=10
)
# Requests larger than the upload limit are refused before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "imhcf.tasks.worker_heartbeat",
        "schedule": IMHCF_WORKER_HEARTBEAT_SECONDS,
        # Heartbeats queued while no worker runs are worth nothing later.
        "options": {"expires": IMHCF_WORKER_HEARTBEAT_SECONDS},
    },
    "sweep-document-jobs": {
        "task": "evidence.tasks.sweep_document_jobs",
        "schedule": env_int("IMHCF_SWEEP_EVERY_SECONDS", 60, minimum=5),
    },
}

# The register. Numbers from the brief are settings, not constants.
IMHCF_REVIEWERS_PER_APPLICATION = env_int("IMHCF_REVIEWERS_PER_APPLICATION", 2, minimum=1)
IMHCF_CLAIM_STALE_DAYS = env_int("IMHCF_CLAIM_STALE_DAYS", 14, minimum=1)
# One evidence item linked to more statements than this earns a gentle warning
# to the practitioner and a note to reviewers.
IMHCF_EVIDENCE_WIDE_LINKS = env_int("IMHCF_EVIDENCE_WIDE_LINKS", 20, minimum=1)
IMHCF_REGISTRATION_VALID_DAYS = env_int("IMHCF_REGISTRATION_VALID_DAYS", 365, minimum=1)
IMHCF_APPEAL_WINDOW_DAYS = env_int("IMHCF_APPEAL_WINDOW_DAYS", 28, minimum=1)
IMHCF_RENEWAL_OPENS_DAYS = env_int("IMHCF_RENEWAL_OPENS_DAYS", 60, minimum=1)
IMHCF_RENEWAL_CPD_HOURS = env_int("IMHCF_RENEWAL_CPD_HOURS", 15, minimum=0)
IMHCF_RENEWAL_EQUALITY_HOURS = env_int("IMHCF_RENEWAL_EQUALITY_HOURS", 1, minimum=0)
IMHCF_RENEWAL_REMINDER_DAYS = [
    int(days) for days in env_list("IMHCF_RENEWAL_REMINDER_DAYS", ["60", "30", "7"])
]
IMHCF_LAPSE_GRACE_DAYS = env_int("IMHCF_LAPSE_GRACE_DAYS", 30, minimum=0)
# CPD audit at renewal: the share of renewals chosen at random (a percentage, as HCPC's 2.5),
# never at a first renewal, and the days the practitioner has to send their CPD record.
try:
    IMHCF_CPD_AUDIT_PERCENT = Decimal(env_str("IMHCF_CPD_AUDIT_PERCENT", "2.5"))
except ArithmeticError:
    raise ImproperlyConfigured("IMHCF_CPD_AUDIT_PERCENT must be a number.") from None
if not Decimal(0) <= IMHCF_CPD_AUDIT_PERCENT <= Decimal(100):
    raise ImproperlyConfigured("IMHCF_CPD_AUDIT_PERCENT must be between 0 and 100.")
IMHCF_CPD_AUDIT_DAYS = env_int("IMHCF_CPD_AUDIT_DAYS", 28, minimum=1)
IMHCF_EMAIL_MAX_ATTEMPTS = env_int("IMHCF_EMAIL_MAX_ATTEMPTS", 5, minimum=1)
# Referees an application names: how many and which kinds, in order.
REFEREE_KINDS_KNOWN = ("line_manager", "supervisor", "colleague")
# Set but empty means a register that asks for no references (env_list would read the default).
IMHCF_REFEREE_KINDS = (
    []
    if os.environ.get("IMHCF_REFEREE_KINDS", "unset").strip() == ""
    else env_list("IMHCF_REFEREE_KINDS", ["line_manager", "supervisor"])
)
if set(IMHCF_REFEREE_KINDS) - set(REFEREE_KINDS_KNOWN):
    raise ImproperlyConfigured(
        "IMHCF_REFEREE_KINDS may name only " + ", ".join(REFEREE_KINDS_KNOWN) + "."
    )
IMHCF_REFERENCE_LINK_DAYS = env_int("IMHCF_REFERENCE_LINK_DAYS", 28, minimum=1)
IMHCF_REFERENCE_REMINDER_DAYS = [
    int(days) for days in env_list("IMHCF_REFERENCE_REMINDER_DAYS", ["7", "14"])
]
# Requests per client address to the referee's pages, and to the public concern form.
IMHCF_REFERENCE_RATE = env_str("IMHCF_REFERENCE_RATE", "30/h")
# Concerns: sends of the public form per client address, and how long outcomes stay public.
IMHCF_CONCERN_RATE = env_str("IMHCF_CONCERN_RATE", "5/h")
# Requests per client address to the register API (employers' checks).
IMHCF_API_RATE = env_str("IMHCF_API_RATE", "120/m")
IMHCF_BULK_CHECK_MAX_ROWS = env_int("IMHCF_BULK_CHECK_MAX_ROWS", 1000, minimum=1)
IMHCF_CONCERN_PUBLISH_YEARS = env_int("IMHCF_CONCERN_PUBLISH_YEARS", 5, minimum=0)
IMHCF_DIGEST_HOUR = env_int("IMHCF_DIGEST_HOUR", 7, minimum=0)
if IMHCF_DIGEST_HOUR > 23:
    raise ImproperlyConfigured("IMHCF_DIGEST_HOUR must be an hour of the day, 0 to 23.")

# Workforce figures: shown counts are rounded to the nearest multiple of this; the
# smallest group shown is IMHCF_DISCLOSURE_THRESHOLD (below), shared with training.
IMHCF_INSIGHT_ROUND_TO = env_int("IMHCF_INSIGHT_ROUND_TO", 5, minimum=1)
# Publish the regional summary (no breakdown by group) to everyone, as open data.
IMHCF_INSIGHT_PUBLIC = env_bool("IMHCF_INSIGHT_PUBLIC", default=False)
IMHCF_PUBLIC_BASE_URL = env_str("IMHCF_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
CELERY_BEAT_SCHEDULE.update(
    {
        "send-pending-emails": {
            "task": "register.tasks.send_pending_notifications",
            "schedule": 120,
        },
        "register-daily": {"task": "register.tasks.register_daily", "schedule": 60 * 60},
        # Reviewers and administrators who chose one email a day get it at this hour.
        "daily-digests": {
            "task": "register.tasks.send_daily_digests",
            "schedule": crontab(hour=IMHCF_DIGEST_HOUR, minute=0),
        },
        # Summaries of every snapshot and the area figures, rebuilt each night at 02:30.
        "workforce-nightly": {
            "task": "workforce.tasks.workforce_nightly",
            "schedule": crontab(hour=2, minute=30),
        },
    }
)

# Training providers. Figures shown to a provider about its attendees hide any
# group of fewer people than this (the same rule as area insight).
IMHCF_DISCLOSURE_THRESHOLD = env_int("IMHCF_DISCLOSURE_THRESHOLD", 5, minimum=2)
CELERY_BEAT_SCHEDULE.update(
    {
        # Course mappings follow a newly published framework edition; course
        # effectiveness figures are recounted from consenting attendees' snapshots.
        "training-hourly": {"task": "training.tasks.training_hourly", "schedule": 60 * 60},
    }
)
# Open Badges 3.0 credentials, signed with an Ed25519 key that never enters the database.
# The private key is a PEM or JWK text in the variable, or a file holding one. Production
# refuses to start without it; elsewhere one is made under var/ on first use.
IMHCF_CREDENTIAL_SIGNING_KEY = env_str("IMHCF_CREDENTIAL_SIGNING_KEY")
IMHCF_CREDENTIAL_SIGNING_KEY_FILE = env_str("IMHCF_CREDENTIAL_SIGNING_KEY_FILE")
IMHCF_CREDENTIAL_KEY_GENERATE = False
if PRODUCTION:
    if not (IMHCF_CREDENTIAL_SIGNING_KEY or IMHCF_CREDENTIAL_SIGNING_KEY_FILE):
        raise ImproperlyConfigured(
            "IMHCF_CREDENTIAL_SIGNING_KEY or IMHCF_CREDENTIAL_SIGNING_KEY_FILE must be set: "
            "credentials cannot be signed without the register's Ed25519 key."
        )
    if IMHCF_CREDENTIAL_SIGNING_KEY_FILE and not Path(IMHCF_CREDENTIAL_SIGNING_KEY_FILE).is_file():
        raise ImproperlyConfigured(
            f"IMHCF_CREDENTIAL_SIGNING_KEY_FILE names {IMHCF_CREDENTIAL_SIGNING_KEY_FILE}, "
            "which is not a file."
        )
elif not (IMHCF_CREDENTIAL_SIGNING_KEY or IMHCF_CREDENTIAL_SIGNING_KEY_FILE):
    IMHCF_CREDENTIAL_SIGNING_KEY_FILE = str(VAR_DIR / "credential-signing-key.pem")
    IMHCF_CREDENTIAL_KEY_GENERATE = True

# Data rights and the retention schedule, carried out by privacy.tasks.privacy_daily and
# published on /privacy/.
IMHCF_ERASURE_COOLING_OFF_HOURS = env_int("IMHCF_ERASURE_COOLING_OFF_HOURS", 72, minimum=0)
# An account nobody has signed in to for this long, with no current register entry, is
# closed and erased as if its owner had asked (its evidence goes with it).
IMHCF_RETAIN_INACTIVE_ACCOUNT_YEARS = env_int("IMHCF_RETAIN_INACTIVE_ACCOUNT_YEARS", 6, minimum=1)
# Messages shown in the app and sent by email.
IMHCF_RETAIN_MESSAGES_DAYS = env_int("IMHCF_RETAIN_MESSAGES_DAYS", 730, minimum=30)
CELERY_BEAT_SCHEDULE["privacy-daily"] = {
    "task": "privacy.tasks.privacy_daily",
    "schedule": 60 * 60,
}
