"""Settings every environment shares. Values that differ between machines come from
environment variables, so no secret or host name lives in the repository."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "sources",
]

MIDDLEWARE = [
    "archive.middleware.RequestLogMiddleware",
    # Before anything that may answer early, so every API answer carries its CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication (staff bypass it) and inside CSP/security (cached pages still
    # get their headers).
    "archive.middleware.PublicPageCacheMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into a clear answer.
    "axes.middleware.AxesMiddleware",
]

# django-axes first so a locked-out user is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed admin logins for one username from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_COOLOFF_MESSAGE = (
    f"This account is locked after {AXES_FAILURE_LIMIT} failed logins from your address: "
    f"try again in {AXES_COOLOFF_TIME} hour{'s' if AXES_COOLOFF_TIME != 1 else ''}, or ask "
    "an administrator to unlock it (manage.py axes_reset_username USERNAME)."
)
# The client's address, not the proxy's: behind the TLS proxy every request comes from
# the proxy, so locking on REMOTE_ADDR would let anyone lock any curator out. Only the
# proxies listed in TRUSTED_PROXIES (comma-separated addresses) are believed when they
# say, in X-Forwarded-For, whom they forward for (archive/proxy.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "archive.proxy.client_ip"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "archive.urls"

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

WSGI_APPLICATION = "archive.wsgi.application"
ASGI_APPLICATION = "archive.asgi.application"

# SQLite is the embedded default so a bare machine can run the archive; set
# DATABASE_URL=postgres://user@host:5432/name for PostgreSQL (production).
# CONN_MAX_AGE (seconds a connection is kept; production defaults to 60) and
# CONN_HEALTH_CHECKS (a kept connection is tested before reuse, so a restarted database
# costs no request) come from the environment.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", False),
    )
}
# A streaming replica of that database (archive/dbrouter.py): anonymous readers' pages
# read from it; staff, forms, commands and every write use the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["archive.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "archive.dbrouter.ReplicaMiddleware",
    )

# The archive's public address: canonical links, citations, TEI, feeds, the sitemap and
# linked data build every absolute URL from it, never from the request's Host header
# (which a client chooses, and which would otherwise reach the page cache). Production
# requires it.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The read-only API (sources/interop/api/): anyone may read, nobody may write; one JSON
# renderer (the browsable documentation is Swagger UI at /api/docs/); a per-client rate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["sources.interop.api.throttles.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per client address (a harvester reading the whole archive needs a few hundred).
API_THROTTLE_RATE = env("API_THROTTLE_RATE", "600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Azerbaijan Crisis Archive API",
    "DESCRIPTION": "Read-only access to the archive's published documents and its records "
    "(people, places, organizations, events), their mentions and the timeline. Every "
    "record's `url` is its page; `api_url` is this API's address for it; both derive "
    "from the same slug, and an old slug answers 301 with the new address.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "sources.models.choices.Language",
        "AgentRoleEnum": "sources.models.choices.AgentRole",
        "MentionRoleEnum": "sources.models.choices.MentionRole",
        "DocumentEventRoleEnum": "sources.models.choices.DocumentEventRole",
        "EntityKindEnum": "sources.models.choices.EntityKind",
        "TimelineEntryKindEnum": ["document", "event"],
    },
}
# Anyone may read the API, the OAI-PMH interface and the data from any site; only GET.
CORS_URLS_REGEX = r"^/(api|oai|data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# OAI-PMH (sources/interop/oai/): who answers for the repository, and records per answer.
OAI_ADMIN_EMAIL = env("OAI_ADMIN_EMAIL", "archive@example.org")
OAI_PAGE_SIZE = int(env("OAI_PAGE_SIZE", "50"))

# Rendered public pages, kept with the change tokens of what they show
# (archive/middleware.py, sources/caching.py). Conditional GET (ETag/304) works either way.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
# A page whose change tokens changed less than this many seconds before its rendering
# began may show the data from before the change: it is answered but not stored. The
# margin covers clocks that differ a little between app servers.
PAGE_CACHE_CLOCK_MARGIN = 1.0
# Several app servers share one Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0), so an
# edit is seen by all at once and a page rendered by one is served by all; without it,
# each server keeps its own pages in memory. A Redis that does not answer within the
# timeouts is a cache miss, never an error (the middleware catches it).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "archive"),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Only what the admin needs: no public accounts.
LOGIN_URL = "admin:login"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Scans (docs/scans.md): originals and their derivatives go through the storage API, to
# MEDIA_ROOT by default or to an S3-compatible bucket when SCANS_S3_BUCKET is set. No
# URL serves MEDIA_ROOT: every image passes through a view that checks publication,
# which streams the file or, with SCANS_ACCEL_REDIRECT set (e.g. "/protected-media/"),
# hands it to the proxy with X-Accel-Redirect.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
SCANS_ACCEL_REDIRECT = env("SCANS_ACCEL_REDIRECT", "")
SCANS_MAX_UPLOAD_BYTES = int(env("SCANS_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
SCANS_MAX_PIXELS = int(env("SCANS_MAX_PIXELS", str(150_000_000)))
if env("SCANS_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("SCANS_S3_BUCKET"),
            "endpoint_url": env("SCANS_S3_ENDPOINT_URL"),
            "region_name": env("SCANS_S3_REGION"),
            "access_key": env("SCANS_S3_ACCESS_KEY_ID"),
            "secret_key": env("SCANS_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }

# No inline script or style anywhere, in every environment, so what passes the tests
# passes in production. Map tiles come from OpenStreetMap when the reader is online.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# One JSON line per request (archive.requests) and per error, for log collectors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "archive.logging.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "archive.requests": {"level": env("REQUEST_LOG_LEVEL", "INFO")},
        "axes": {"level": "WARNING"},
    },
}

# Show the Solar Hijri date beside the Gregorian one (15 Tir 1324 beside 6 July 1945) on
# the reading pages, citations and API, unless a document says otherwise (issue 15).
ARCHIVE_SOLAR_HIJRI = env_bool("ARCHIVE_SOLAR_HIJRI", True)
