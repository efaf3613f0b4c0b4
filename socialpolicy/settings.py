"""Settings for socialpolicy, read from environment variables (see README: Configuration)."""

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from socialpolicy.env import env_bool, env_int, env_list, env_str, parse_addresses

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "core",
    "operations",
    "people",
    "audit",
    "publishing",
    "monitoring",
    "disclosures",
    "recruitment",
    "cases",
    "surveillance",
    "reports",
    "bench",  # generate_scale_data, for the benchmarks
]

MIDDLEWARE = [
    "operations.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "people.twofactor.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialpolicy.urls"
WSGI_APPLICATION = "socialpolicy.wsgi.application"

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
                "people.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run through manage.py or `python -m socialpolicy.localservices -- ...`, "
        "which start an embedded PostgreSQL, or point DATABASE_URL at a PostgreSQL server."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("socialpolicy runs on PostgreSQL only; DATABASE_URL must be a postgres:// URL")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Parallel test workers (pytest-xdist) share one Redis database: each keeps to its own keys, as each
        # has its own PostgreSQL database.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "socialpolicy") + env_str("PYTEST_XDIST_WORKER", ""),
    }
}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "people:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests only: PBKDF2 at full strength would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
# One language: LocaleMiddleware then answers every browser in British English, so a date typed as 04/05/2026 is
# always 4 May (day first) and Django's own messages never come out in another language beside English pages.
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded evidence lives outside the web root and is only ever served by permission-checked views.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / ".data" / "private")))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
# Evidence and screenshots go through Django's storage API (default_storage): a private folder on this host, or
# with EVIDENCE_STORAGE=s3 a private S3-compatible bucket that every web and worker host shares (django-storages;
# docs/DEPLOYING.md). Files are never public: views stream them after a permission check.
EVIDENCE_STORAGE = env_str("EVIDENCE_STORAGE", "filesystem")
if EVIDENCE_STORAGE == "filesystem":
    _DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT},
    }
elif EVIDENCE_STORAGE == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env_str("S3_PREFIX", "private"),
        },
    }
    if not _DEFAULT_STORAGE["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("EVIDENCE_STORAGE=s3 needs S3_BUCKET")
else:
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE must be filesystem or s3, not {EVIDENCE_STORAGE!r}")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "socialpolicy <no-reply@socialpolicy.invalid>")
# Who hears about server errors and a broken audit trail (mail_admins): "Name <address>, other@address".
# `manage.py check --deploy` warns when it is empty (operations/checks.py).
ADMINS = parse_addresses("ADMINS")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Two-step sign-in and idle time-out for HR, Head of HR, investigators and administrators.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
IDLE_TIMEOUT_SECONDS = env_int("IDLE_TIMEOUT_SECONDS", 15 * 60, minimum=60)
OTP_TOTP_ISSUER = "socialpolicy"

# --- sign-in with the school's own accounts (issue 18; README: Single sign-on) ---------------------------
# Password sign-in stays on unless the council turns it off; the break-glass accounts named here may always
# use it (their use is audited and announced to the Head of HR).
PASSWORD_SIGN_IN_ENABLED = env_bool("PASSWORD_SIGN_IN_ENABLED", True)
BREAK_GLASS_USERNAMES = env_list("BREAK_GLASS_USERNAMES", [])
# Only identities whose email sits in one of these domains are matched to an employee.
SSO_ALLOWED_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env_list("SSO_ALLOWED_EMAIL_DOMAINS", [])]
# An ID token carrying one of these `amr` values (RFC 8176) or `acr` values counts as the second step.
SSO_MFA_AMR_VALUES = env_list("SSO_MFA_AMR_VALUES", ["mfa"])
SSO_MFA_ACR_VALUES = env_list("SSO_MFA_ACR_VALUES", [])
SSO_PROVIDERS: dict[str, dict] = {}
if env_str("SSO_MICROSOFT_CLIENT_ID"):
    _tenant = env_str("SSO_MICROSOFT_TENANT")
    if not (_tenant or env_str("SSO_MICROSOFT_ISSUER")):
        raise ImproperlyConfigured("SSO_MICROSOFT_TENANT (the council's directory id) must be set with its client id")
    if _tenant.lower() in {"common", "organizations", "consumers"}:
        raise ImproperlyConfigured("SSO_MICROSOFT_TENANT must be the council's own tenant, not a shared endpoint")
    SSO_PROVIDERS["microsoft"] = {
        "label": "Microsoft",
        "issuer": env_str("SSO_MICROSOFT_ISSUER") or f"https://login.microsoftonline.com/{_tenant}/v2.0",
        "client_id": env_str("SSO_MICROSOFT_CLIENT_ID"),
        "client_secret": env_str("SSO_MICROSOFT_CLIENT_SECRET"),
        # Entra's object id is the user's stable id across every app of the tenant; `sub` differs per app.
        "uid_claim": "oid",
        "email_claims": ["email", "preferred_username"],
        # A single-tenant directory's addresses are set by the council's own administrators.
        "directory_email_trusted": True,
    }
if env_str("SSO_GOOGLE_CLIENT_ID"):
    SSO_PROVIDERS["google"] = {
        "label": "Google",
        "issuer": env_str("SSO_GOOGLE_ISSUER", "https://accounts.google.com"),
        "client_id": env_str("SSO_GOOGLE_CLIENT_ID"),
        "client_secret": env_str("SSO_GOOGLE_CLIENT_SECRET"),
        "uid_claim": "sub",
        "email_claims": ["email"],
        "directory_email_trusted": False,
    }
for _slug, _provider in SSO_PROVIDERS.items():
    if not _provider["client_secret"]:
        raise ImproperlyConfigured(f"SSO_{_slug.upper()}_CLIENT_SECRET must be set with its client id")
if SSO_PROVIDERS and not SSO_ALLOWED_EMAIL_DOMAINS:
    raise ImproperlyConfigured("SSO_ALLOWED_EMAIL_DOMAINS must list the council's email domains when SSO is on")
if not PASSWORD_SIGN_IN_ENABLED and not SSO_PROVIDERS:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN_ENABLED=false needs at least one SSO provider, or nobody can sign in")
# --- end sign-in ---

# Sign-in throttling: five failures for one user name from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content security policy: our own files only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=300)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# The health page answers plain HTTP from the container's own probe (operations/probe.py) and the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
HEALTH_WORKER_TIMEOUT = float(env_int("HEALTH_WORKER_TIMEOUT_MS", 2000, minimum=100)) / 1000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Celery: the schedule lives here, in code, versioned with everything else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "socialpolicy")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every task stops after an hour unless it sets its own limit; Redis gives a task that has not been acknowledged
# (acks_late) to another worker after the visibility timeout, which must therefore be longer than any task may
# run, or a long task (the nightly purge) would be delivered twice. operations/checks.py checks it.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3600, minimum=10)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 3600 + 600, minimum=60),
}
CELERY_BEAT_SCHEDULE = {
    "send-pending-notification-emails": {
        "task": "people.tasks.send_pending_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
    "clear-expired-sessions-nightly": {
        "task": "people.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=10),
    },
    "verify-audit-chain-nightly": {
        "task": "audit.tasks.verify_audit_chain",
        "schedule": crontab(hour=3, minute=30),
    },
    "remind-policy-acknowledgement-weekly": {
        "task": "people.tasks.send_policy_reminders",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
}

ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Reading Borough Council")
COMMUNICATIONS_POLICY_URL = env_str(
    "COMMUNICATIONS_POLICY_URL", "https://intranet.example.invalid/communications-social-media-policy"
)

# Logs go to standard error; one JSON object a line in production (LOG_FORMAT=json), each with the request id.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "operations.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Optional error reports to Sentry (or a compatible service), with personal data removed before sending.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from operations.observability import sentry_init

    sentry_init(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production" if not DEBUG else "development"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=float(env_int("SENTRY_TRACES_PERCENT", 0, minimum=0, maximum=100)) / 100,
    )

# --- publishing (clause 3): the pre-screen's lists; comma-separated in the environment. ---
# Words the pre-screen points out in drafts of official posts (3.3: nothing offensive or derogatory).
PUBLISHING_SENSITIVE_TERMS = env_list(
    "PUBLISHING_SENSITIVE_TERMS",
    ["idiot", "stupid", "useless", "retard", "spastic", "pikey", "gypo", "tranny", "confidential", "exclusion"],
)
# Sites an official post must not link to (3.3: no links to inappropriate content); subdomains match too.
PUBLISHING_BLOCKED_DOMAINS = env_list(
    "PUBLISHING_BLOCKED_DOMAINS", ["pornhub.com", "xvideos.com", "bet365.com", "4chan.org", "onlyfans.com"]
)
# --- end publishing ---

# --- disclosures (clause 5) ---------------------------------------------------------------------
# How often employees reconfirm their declared personal accounts, and the weekly reminder to do so.
DISCLOSURE_RECONFIRM_DAYS = env_int("DISCLOSURE_RECONFIRM_DAYS", 365, minimum=1, maximum=3650)
CELERY_BEAT_SCHEDULE.update(
    {
        "remind-disclosure-reconfirmation": {
            "task": "disclosures.tasks.remind_disclosure_reconfirmation",
            "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        },
    }
)

# --- cases (incidents, investigations, disciplinary outcomes) ---
CASES_APPEAL_DAYS = env_int("CASES_APPEAL_DAYS", 10, minimum=1)  # days an employee has to appeal (7.3)
CASES_DEADLINE_REMINDER_DAYS = env_int("CASES_DEADLINE_REMINDER_DAYS", 2, minimum=0)
# Working days of notice before a disciplinary hearing (ACAS: reasonable time to prepare).
CASES_HEARING_NOTICE_WORKING_DAYS = env_int("CASES_HEARING_NOTICE_WORKING_DAYS", 5, minimum=1)
CELERY_BEAT_SCHEDULE.update(
    {
        "cases-deadline-reminders": {
            "task": "cases.tasks.send_deadline_reminders",
            "schedule": crontab(hour=7, minute=0),
        },
    }
)

# --- monitoring (clauses 2, 4): pointer threshold, review reminders, monthly partitions -------------
# Minutes per day of social media use outside rest breaks (or during overtime) from which HR's overview
# shows "possible excessive use": a pointer for a person to look at, never a finding (4.1).
MONITORING_EXCESSIVE_MINUTES_PER_DAY = env_int("MONITORING_EXCESSIVE_MINUTES_PER_DAY", 30, minimum=1, maximum=1440)
CELERY_BEAT_SCHEDULE.update(
    {
        "monitoring-withdrawal-review-reminders": {
            "task": "monitoring.tasks.send_withdrawal_review_reminders",
            "schedule": crontab(hour=7, minute=30),
        },
        "monitoring-usage-partitions": {
            "task": "monitoring.tasks.ensure_usage_partitions",
            "schedule": crontab(hour=1, minute=15),
        },
    }
)

# --- surveillance (clause 7.2: covert surveillance approved by the Head of HR and OD) ---
# Longest window one approval may cover, and how many days before a review or end the reminder goes.
SURVEILLANCE_MAX_DAYS = env_int("SURVEILLANCE_MAX_DAYS", 30, minimum=1, maximum=366)
SURVEILLANCE_REMINDER_DAYS = env_int("SURVEILLANCE_REMINDER_DAYS", 2, minimum=0, maximum=30)
CELERY_BEAT_SCHEDULE.update(
    {
        "surveillance-reminders": {
            "task": "surveillance.tasks.send_surveillance_reminders",
            "schedule": crontab(hour=7, minute=15),
        },
    }
)
# --- end surveillance ---

# --- reports (HR reports, search, "waiting for you", deadline reminders) ---
# Remind this many days before a subject access request or a suspension review falls due.
REPORTS_REMINDER_DAYS_AHEAD = env_int("REPORTS_REMINDER_DAYS_AHEAD", 5, minimum=0, maximum=60)
# Nudge whoever holds a concern in triage, a post's check or a campaign's decision after this many days.
REPORTS_STALE_AFTER_DAYS = env_int("REPORTS_STALE_AFTER_DAYS", 3, minimum=1, maximum=90)
CELERY_BEAT_SCHEDULE.update(
    {
        "reports-deadline-reminders": {
            "task": "reports.tasks.send_deadline_reminders",
            "schedule": crontab(hour=7, minute=15),
        },
    }
)

# --- retention of monitoring data (clause 4.2) ---------------------------------------------------------------
# Months each kind of monitoring information is kept: 12 at most (clause 4.2); a larger value stops start-up.
MONITORING_RETENTION_MONTHS = env_int("MONITORING_RETENTION_MONTHS", 12, minimum=1, maximum=12)
# Shorter limits for some kinds, e.g. "import_reports:3,usage_days:6" (kinds in monitoring/retention.py).
MONITORING_RETENTION_KIND_MONTHS = {}
for _item in env_list("MONITORING_RETENTION_KIND_MONTHS", []):
    _kind, _, _months = _item.partition(":")
    try:
        MONITORING_RETENTION_KIND_MONTHS[_kind.strip()] = int(_months)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"MONITORING_RETENTION_KIND_MONTHS: {_item!r} is not kind:months") from _exc
    if not 1 <= MONITORING_RETENTION_KIND_MONTHS[_kind.strip()] <= 12:
        raise ImproperlyConfigured(f"MONITORING_RETENTION_KIND_MONTHS: {_item!r} must be 1 to 12 months (4.2)")
# The purge works in chunks, each one short transaction under these limits, retried a few times.
MONITORING_PURGE_CHUNK_SIZE = env_int("MONITORING_PURGE_CHUNK_SIZE", 5000, minimum=1)
MONITORING_PURGE_CHUNK_PAUSE_MS = env_int("MONITORING_PURGE_CHUNK_PAUSE_MS", 0, minimum=0)
MONITORING_PURGE_RETRIES = env_int("MONITORING_PURGE_RETRIES", 3, minimum=0, maximum=10)
MONITORING_PURGE_STATEMENT_TIMEOUT = env_str("MONITORING_PURGE_STATEMENT_TIMEOUT", "60s")
# Readers queue behind the purge's request for the usage table's lock, so the purge gives up (and retries)
# after this long rather than hold a page up for longer (issue 11: at most 100 ms).
MONITORING_PURGE_LOCK_TIMEOUT = env_str("MONITORING_PURGE_LOCK_TIMEOUT", "100ms")
MONITORING_PURGE_TIME_LIMIT = env_int("MONITORING_PURGE_TIME_LIMIT", 3000, minimum=10)  # seconds a run may take
# A nightly run that fails or stops is tried again this many minutes later, until this hour (UK time); HR are
# e-mailed if the night's last run has still not finished (issue 24).
MONITORING_PURGE_RETRY_MINUTES = env_int("MONITORING_PURGE_RETRY_MINUTES", 30, minimum=1, maximum=240)
MONITORING_PURGE_RETRY_UNTIL_HOUR = env_int("MONITORING_PURGE_RETRY_UNTIL_HOUR", 6, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE.update(
    {
        "monitoring-retention-purge": {
            "task": "monitoring.tasks.purge_expired_monitoring_data",
            "schedule": crontab(hour=2, minute=0),  # 02:00 Europe/London (CELERY_TIMEZONE)
        },
        "monitoring-retention-watch": {
            "task": "monitoring.tasks.watch_monitoring_retention",
            "schedule": crontab(hour=7, minute=45),
        },
    }
)
# --- end retention ---

# --- backups (operations/backups.py): nightly pg_dump, kept BACKUP_RETENTION_DAYS (monitoring data is in them) ---
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / ".data" / "backups")))
PG_BIN_DIR = env_str("PG_BIN_DIR")  # where pg_dump/pg_restore are; empty: on PATH (localservices sets it)
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 28, minimum=1, maximum=31)
if env_bool("BACKUP_SCHEDULED", not DEBUG):
    CELERY_BEAT_SCHEDULE["nightly-database-backup"] = {
        "task": "operations.tasks.backup_database",
        "schedule": crontab(hour=3, minute=0),  # after the 02:00 purge, so a backup never holds what it removed
    }
