"""One settings module, driven by environment variables.

The embedded default needs nothing installed: an SQLite file under var/,
immediate background tasks, e-mail printed on the console. Production sets
MEUTE_ENV=production, MEUTE_SECRET_KEY, MEUTE_ALLOWED_HOSTS and DATABASE_URL
(PostgreSQL). See README "Configuration".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MEUTE_VAR_DIR", BASE_DIR / "var"))

PRODUCTION = os.environ.get("MEUTE_ENV", "development") == "production"
DEBUG = os.environ.get("MEUTE_DEBUG", "0" if PRODUCTION else "1") == "1"

if PRODUCTION:
    # One clear line and a non-zero exit, not a KeyError traceback (SystemExit is never caught as an error).
    SECRET_KEY = os.environ.get("MEUTE_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        sys.exit(
            "meute: MEUTE_SECRET_KEY is required when MEUTE_ENV=production (50+ random characters; "
            "see README 'Configuration')"
        )
else:
    SECRET_KEY = os.environ.get(
        "MEUTE_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789"
    )

ALLOWED_HOSTS = [h for h in os.environ.get("MEUTE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MEUTE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "meute.core",
    "meute.reference",
    "meute.accounts",
    "meute.networks",
    "meute.events",
    "meute.audit",
    "meute.dues",
    "meute.attendance",
    "meute.referrals",
    "meute.barometer",
    "meute.packs",
    "meute.privacy",
    "meute.observatory",
    "ninja",
    "meute.api",
    "meute.demo",
    "django_tasks_db",
    "meute.outbox",
    "meute.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # One JSON line per request, with its duration (outermost, so it times everything).
    "meute.operations.logs.RequestLogMiddleware",
    # Static files, compressed and (in production) hashed, served by the app itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meute.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns throttled log-ins into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meute.urls"
WSGI_APPLICATION = "meute.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "meute" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'meute.sqlite3'}"),
        conn_max_age=int(os.environ.get("MEUTE_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
    )
}
if os.environ.get("MEUTE_TEST_DATABASE_NAME"):
    # The database the test runner creates (default: "test_" + NAME), for a shared server.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["MEUTE_TEST_DATABASE_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web process and a worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# How many reverse proxies in front of Meute append to X-Forwarded-For (0: none,
# the header is ignored; 1: the usual TLS-terminating proxy). The visitor's
# address is read that many entries from the right; see docs/operations.md.
TRUSTED_PROXY_COUNT = int(os.environ.get("MEUTE_TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ValueError("MEUTE_TRUSTED_PROXY_COUNT must be 0 or more")

# Login throttling (django-axes, meute.accounts.throttle), for 15 minutes: five
# failures for one e-mail from one client address lock that combination; twenty
# from one address across e-mails (password spraying) lock the address; twenty
# on one e-mail across addresses lock the e-mail.
AXES_HANDLER = "meute.accounts.throttle.CeilingHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("MEUTE_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_IP_CEILING = int(os.environ.get("MEUTE_LOGIN_IP_CEILING", "20"))
LOGIN_ACCOUNT_CEILING = int(os.environ.get("MEUTE_LOGIN_ACCOUNT_CEILING", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per e-mail whatever its case, as log-in itself ignores case.
AXES_USERNAME_CALLABLE = "meute.accounts.throttle.username"
# The client address as TRUSTED_PROXY_COUNT says, rather than REMOTE_ADDR (the proxy's).
AXES_CLIENT_IP_CALLABLE = "meute.accounts.throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sign-up proves the address first: the form only sends a link, valid this long
# (seconds, as password reset links), and the account is made when it is followed.
SIGNUP_LINK_MAX_AGE = 3 * 24 * 3600
# Sign-up e-mails per hour: to one address (more are silently not sent, so the
# answer never changes), and requests from one client address (more get a 429).
SIGNUP_LIMIT_PER_EMAIL = 3
SIGNUP_LIMIT_PER_CLIENT = int(os.environ.get("MEUTE_SIGNUP_LIMIT_PER_CLIENT", "30"))

# REST API (meute/api): requests per minute for one account or, anonymous, one client address.
API_THROTTLE_RATE = os.environ.get("MEUTE_API_THROTTLE_RATE", "120/min")
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "meute" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# In production one cache for every process of the host, web workers and the task worker alike:
# the observatory's figures, computed by a task after each import, are read by the pages
# (a per-process memory cache would leave every web worker to compute them again).
if PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"  # shared documents of packs; never served without a permission check
STATICFILES_DIRS = [BASE_DIR / "meute" / "static"]
# Production serves the collected files hashed and gzipped (`meute collectstatic` first);
# development and the tests read them from the apps, no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# E-mail (Django 6.1 mailers). Production points MEUTE_EMAIL_BACKEND at the SMTP backend
# and sets MEUTE_EMAIL_HOST / _PORT / _USER / _PASSWORD.
_email_backend = os.environ.get(
    "MEUTE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_email_options: dict[str, object] = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("MEUTE_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("MEUTE_EMAIL_PORT", "587")),
        "username": os.environ.get("MEUTE_EMAIL_USER", ""),
        "password": os.environ.get("MEUTE_EMAIL_PASSWORD", ""),
        "use_tls": os.environ.get("MEUTE_EMAIL_TLS", "1") == "1",
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("MEUTE_FROM_EMAIL", "Meute <ne-pas-repondre@meute.example>")

# Immediate by default (demo, tests); production sets MEUTE_TASKS_BACKEND=django_tasks_db.DatabaseBackend
# and runs `meute worker`, which also keeps the periodic jobs (docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MEUTE_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    }
}
# E-mail delivery attempts before a message is recorded as failed (visible to staff in the admin),
# and the first wait between two attempts in seconds (doubled at each try).
MEUTE_MAIL_MAX_ATTEMPTS = int(os.environ.get("MEUTE_MAIL_MAX_ATTEMPTS", "6"))
MEUTE_MAIL_RETRY_SECONDS = int(os.environ.get("MEUTE_MAIL_RETRY_SECONDS", "60"))
# The worker writes its heartbeat this often; /sante/ answers 503 when the newest is older than the limit.
MEUTE_HEARTBEAT_SECONDS = int(os.environ.get("MEUTE_HEARTBEAT_SECONDS", "15"))
MEUTE_HEARTBEAT_MAX_AGE = int(os.environ.get("MEUTE_HEARTBEAT_MAX_AGE", "120"))

# Content Security Policy: everything from our own origin, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("MEUTE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("MEUTE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# MEUTE_LOG_FORMAT=json (the production default) writes one JSON object a line: one per request
# (logger meute.request) and one per task (meute.task), each with its duration.
_log_format = os.environ.get("MEUTE_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "meute.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if _log_format == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MEUTE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "meute.request": {
            "level": os.environ.get("MEUTE_REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        "meute.task": {"level": os.environ.get("MEUTE_TASK_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    },
}
