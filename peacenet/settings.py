"""PeaceNet settings: one module, driven by the environment.

Every value a deployment changes is read from an environment variable (see the README's
table). A bad value fails loudly at start-up instead of running half-configured.
"""

import os
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_redis_url(name, default=""):
    url = os.environ.get(name, "") or default
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name} must start with redis://, rediss:// or unix://; got {url!r}."
        )
    return url


def env_int_item(name, item):
    try:
        return int(item)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers separated by commas; got {item!r}."
        ) from None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: python -c "
            "'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def site_url_from_host_and_port():
    """Where ``make run`` serves (``HOST``, ``PORT``), for links when ``SITE_URL`` is unset.
    A server listening on every interface is linked at this machine's loopback address."""
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    port = env_int("PORT", 8000)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"PORT must be between 1 and 65535; got {port}.")
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (not a binding: a link's host)
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


# The site's own address in mails, feeds, calendars and JSON-LD.
SITE_URL = (os.environ.get("SITE_URL", "").strip() or site_url_from_host_and_port()).rstrip("/")
# This app server's name in /healthz, to tell several behind one load balancer apart.
SERVER_NAME = os.environ.get("SERVER_NAME") or socket.gethostname()

INSTALLED_APPS = [
    # The admin site requires two-factor authentication for staff (peacenet/admin_site.py).
    # Before the admin, so that its admin integration (translation tabs) loads.
    "modeltranslation",
    "peacenet.apps.PeaceNetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.forms",
    "django_countries",
    "django_filters",
    "django_htmx",
    "simple_history",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "peacenet",
    "organisations",
    "events",
    "partnerships",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peacenet.proxies.ForwardedForWithoutProxyCount",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "peacenet.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peacenet.middleware.StaffPowersMiddleware",
    "peacenet.middleware.ReaderActedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Renamed organisations: their old addresses redirect to the new ones.
    "organisations.middleware.FormerSlugRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "peacenet.urls"
WSGI_APPLICATION = "peacenet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peacenet.context_processors.site",
                "peacenet.context_processors.staff",
                "peacenet.context_processors.account",
                "peacenet.context_processors.languages",
            ],
            # ``{% url %}`` with the addresses that take no arguments reversed once.
            "builtins": ["peacenet.templatetags.urls"],
        },
    },
]

# Form widgets render with the templates above, so a widget's template lives in templates/<app>/
# like every other (organisations/widgets.py: the countries picker).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite file by default, PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"),
            # Concurrent local use: WAL lets readers work during a write, IMMEDIATE takes the
            # write lock at the start of a transaction (no deadlocking upgrades) and the
            # timeout makes a second writer wait instead of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "peacenet.User"
AUTHENTICATION_BACKENDS = [
    "peacenet.backends.AuthenticationBackend",
    # Sessions begun before the backend above still name these two.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): email and password only, verified addresses, no social login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Account mail is rendered in the recipient's language and sent by the task worker.
ACCOUNT_ADAPTER = "peacenet.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_PREVENT_ENUMERATION = True
# Behind N reverse proxies, the client's address is the Nth from the right in X-Forwarded-For;
# rate limits per IP address need it (0: use the connection's address).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website_url"
ACCOUNT_FORMS = {"signup": "peacenet.forms.SignupForm"}
# Rate limits, counted by allauth in the "default" cache below. "login_failed" is the lockout:
# five wrong passwords for one account lock it for 15 minutes; ten a minute per IP address.
# The last four are PeaceNet's own forms (organisations/views/manage.py), limited per signed-in
# user and per IP address with allauth's helpers (allauth.core.ratelimit).
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "confirm_email": "1/3m/key",
    "register_organisation": "10/h/ip,10/h/user",
    "claim_organisation": "5/h/ip,5/h/user",
    "contact_organisation": "10/h/ip,10/h/user",
    "invite_editor": "30/h/ip,30/h/user",
}
# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Members may turn
# it on; staff must have it before they can use the admin (peacenet/admin_site.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PeaceNet"

# Two caches, each shared by every app server: database tables by default, Redis when
# REDIS_URL is set. "default" holds security state: allauth's rate limits and lockouts, used
# one-time codes and PeaceNet's own form limits. Nothing a visitor's address chooses is stored
# there, so it is never culled or evicted to make room for pages. "pages" holds what is cached
# from the content: visitors' pages, the directory's counts, partner suggestions
# (peacenet.lib.caching); REDIS_PAGES_URL can give it a Redis of its own.
REDIS_URL = env_redis_url("REDIS_URL")
REDIS_PAGES_URL = env_redis_url("REDIS_PAGES_URL", default=REDIS_URL)
CACHES = {
    "default": (
        {
            "BACKEND": "peacenet.lib.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "security",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peacenet_cache",
            # Rate-limit counters and used codes expire within the hour; this room is only
            # reached by an attack from very many addresses at once.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
    "pages": (
        {
            "BACKEND": "peacenet.lib.redis_cache.RedisCache",
            "LOCATION": REDIS_PAGES_URL,
            "KEY_PREFIX": "pages",
        }
        if REDIS_PAGES_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peacenet_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
}

# With Redis, a signed-in request reads its session from the cache (the "default" one, with
# the security state) and the database only when the cache has lost it.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en"
# English at the plain addresses, the others under /nl/, /fr/, /ar/ (peacenet/urls.py); a first
# visit follows the browser (peacenet.middleware.LocaleMiddleware). Arabic is right to left.
LANGUAGES = [("en", _("English")), ("nl", _("Dutch")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["peacenet.formats"]
# The curated vocabulary (themes, capacities, network groups) and organisations' own texts
# are kept in every interface language (organisations/translation.py, django-modeltranslation:
# one column per language on the same row, so a page reads them without a join and the
# search document can index each language). A missing translation falls back to English.
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def s3_storage(environ):
    """The uploaded-media storage for the S3_* variables, or None when S3_BUCKET is unset.

    Objects are read by visitors straight from the store at S3_PUBLIC_URL (default: the
    endpoint's path-style address of the bucket), so that address must allow anonymous reads.
    Returns the STORAGES entry and the origin that the Content-Security-Policy must allow.
    """
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return None, None
    endpoint = environ.get("S3_ENDPOINT_URL", "").strip().rstrip("/")
    public_url = environ.get("S3_PUBLIC_URL", "").strip().rstrip("/")
    if not public_url:
        if not endpoint:
            raise ImproperlyConfigured(
                "S3_BUCKET needs S3_ENDPOINT_URL or S3_PUBLIC_URL: the address where "
                "visitors' browsers read the uploaded files."
            )
        public_url = f"{endpoint}/{bucket}"
    for name, url in (("S3_ENDPOINT_URL", endpoint), ("S3_PUBLIC_URL", public_url)):
        parts = urlsplit(url)
        if url and (parts.scheme not in {"http", "https"} or not parts.netloc):
            raise ImproperlyConfigured(
                f"{name} must be an http:// or https:// address; got {url!r}."
            )
    public = urlsplit(public_url)
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("S3_REGION") or None,
        # S3-compatible stores (SeaweedFS, MinIO, Garage) address buckets by path.
        "addressing_style": "path" if endpoint else None,
        # Plain, lasting addresses: cached public pages must not carry expiring signatures.
        "querystring_auth": False,
        "custom_domain": public.netloc + public.path,
        "url_protocol": f"{public.scheme}:",
        # Like the file system storage: a second "logo.png" gets a new name.
        "file_overwrite": False,
    }
    return (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        f"{public.scheme}://{public.netloc}",
    )


# Uploaded media: MEDIA_ROOT served by the web server at /media/ (see deploy/nginx), or an
# S3-compatible object store when S3_BUCKET is set.
_media_storage, MEDIA_ORIGIN = s3_storage(os.environ)
STORAGES = {
    "default": _media_storage or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# Email: printed to the console unless an SMTP host is configured. Every message leaves
# through peacenet.lib.mail as a task that the worker (manage.py db_worker) runs.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PeaceNet <noreply@peacenet.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS")
# How many days staff typically take to review a newly registered organisation (said on the
# sign-up page, so people know what happens next).
REVIEW_DAYS = env_int("REVIEW_DAYS", 3)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work: tasks are stored in the database and run by `manage.py db_worker`
# (`make run` starts one beside the development server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A download of the full export that finds the worker preparing it waits this many seconds
# for it (preparing 100,000 organisations takes a few) before answering 503 (exports.py).
EXPORT_WAIT_SECONDS = 10
# Finished task results are kept this many days (failed ones longer, for staff to look
# into) and then deleted by the periodic job `manage.py prune_task_results`.
# Seconds to wait before each new attempt at a mail that could not be delivered; after the
# last one it is given up (a failed task result in the admin). About a day in all.
MAIL_RETRY_DELAYS = [
    timedelta(seconds=env_int_item("MAIL_RETRY_DELAYS", item))
    for item in env_list("MAIL_RETRY_DELAYS", "60,300,1800,7200,28800,43200")
]
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)
TASK_RESULTS_KEEP_FAILED_DAYS = env_int("TASK_RESULTS_KEEP_FAILED_DAYS", 90)

# Security. Content-Security-Policy is Django's own: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers check each app server directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The __Host- prefix binds the cookies to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

TAGGIT_CASE_INSENSITIVE = True
