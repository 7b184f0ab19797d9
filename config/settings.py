"""Settings for every environment, read from environment variables.

With nothing set the product runs on embedded defaults: SQLite, Celery on kombu's filesystem
transport and a file-based cache, all under `data/`, and email printed to the console.
`DATABASE_URL` switches to PostgreSQL, `REDIS_URL` switches the broker and the cache to Redis.
With `DEBUG` off the settings refuse to start without `SECRET_KEY` and `ALLOWED_HOSTS`.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env, envbool, envint, envlist, envsecret, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = envbool("DEBUG", True)

SECRET_KEY = envsecret("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    # The key signs sessions, password-reset and email-verification links: a known or
    # guessable one lets anyone forge them.
    how = 'Generate one: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    if not SECRET_KEY:
        raise ImproperlyConfigured(f"SECRET_KEY must be set when DEBUG is off. {how}")
    if problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(f"SECRET_KEY {problem}. {how}")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The base of links in emails. Unset, a link uses the address its request came in on (the host
# and port the server answers on); set it where a proxy or a worker would see another address.
SITE_URL = env("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "accounts.admin_site.AdminConfig",  # django.contrib.admin, opting out of tenancy scopes
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_countries",
    "accounts",
    "influencers",
    "campaigns",
    "outreach",
    "metrics",
]

MIDDLEWARE = [
    # First, so that everything after it runs outside any organisation's scope until a view
    # enters its member's (tenancy fails closed; see accounts.tenancy).
    "accounts.tenancy.TenancyScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        # A connection per request unless set: reuse suits a fixed set of long-lived workers
        # (gunicorn; compose sets 60), while the development server starts a thread per
        # request and would leave a connection open for each until the database refuses more.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "microcampaigns"),
        }
    }
else:
    # A file cache is shared by every process on the machine (web, worker), so login rate
    # limits hold across them, unlike the per-process memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # allauth's, where an address signs in only the account it belongs to.
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, it must be verified, and responses never reveal whether an
# address has an account. An account has one address: a new one replaces it only once
# verified, and until then counts for nothing (accounts.selectors). The old address is told
# of the change, and of password changes and resets.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Microcampaigns] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# Only to write allauth's Title Case in sentence case like the rest of the product (see the .po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Microcampaigns <noreply@localhost>")

# Invitations are single-use links that stop working after this many days.
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 7)
# Invitations one organisation may send in 24 hours: each is an email to any address.
INVITATIONS_PER_DAY = envint("INVITATIONS_PER_DAY", 50)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.permissions.IsOrganisationMember"],
    # JSON only: lists and objects (handles, deliverables) have no faithful form encoding.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.CheckedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
}
# Every API error has one shape, documented on every operation (see accounts/api/errors.py).
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "accounts.api.errors.ApiExceptionHandler",
    # An unexpected error answers JSON under /api/ in development too; the traceback is logged.
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        "400", "401", "403", "404", "405", "406", "409", "415", "422", "429", "500",
    ],
    "ERROR_SCHEMAS": {
        "400": "accounts.api.errors.BadRequestSerializer",
        "409": "accounts.api.errors.InvalidDataSerializer",
        "422": "accounts.api.errors.InvalidDataSerializer",
    },
}  # fmt: skip
SPECTACULAR_SETTINGS = {
    "TITLE": "Microcampaigns API",
    "DESCRIPTION": (
        "Every resource belongs to one organisation. A token acts as its user in the "
        "organisation it was created for; a browser session acts in the organisation "
        "currently selected in the app.\n\n"
        "Requests and responses are JSON. Every error has the same shape, "
        "`{type, errors: [{code, detail, attr}]}`, and its status says what went wrong: "
        "400 the request does not match this schema; 401 no valid token; 403 your role "
        "does not allow it; 404 no such row in your organisation; 409 it conflicts with "
        "existing rows (a duplicate name, a row still in use); 422 it matches the schema "
        "but breaks a rule the schema cannot express (dates out of order, a deadline in "
        "the past, the code of a row your organisation does not have)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One named enum per set of error types, shared by every operation's error responses.
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum",
        "BadRequestTypeEnum": ["validation_error", "client_error"],
        "PlatformEnum": "accounts.models.Platform",
    },
}

# Celery. Without REDIS_URL the broker is kombu's filesystem transport under data/, so a real
# worker and beat run with no server at all.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    BROKER_DIR = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it finished, and a worker that dies mid-task hands it back
# to the queue: every task must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Health checks from the container runtime call /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level is the handler's too: Django's own loggers (a refused request is a warning of
    # django.request) pass their records up to this handler whatever the root's level.
    "filters": {"refusals_on_one_line": {"()": "config.log_filters.RefusalsOnOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "level": LOG_LEVEL,
            "filters": ["refusals_on_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

for folder in (DATA_DIR / "cache", DATA_DIR / "broker" / "queue", STATIC_ROOT):
    folder.mkdir(parents=True, exist_ok=True)
