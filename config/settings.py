"""Panelist settings. Every value that differs between machines comes from the environment
(see docs/operations.md); the defaults are safe for a developer's machine."""

import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.database import database_config
from config.env import env_bool, env_int, env_list, env_str
from config.mail import check_mail_settings
from config.sso import ENDPOINT_VARIABLES, check_sso_settings, parse_role_map

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# A production deployment: secure cookies, HSTS, hashed static files, a required SECRET_KEY.
PRODUCTION = env_bool("PANELIST_PRODUCTION", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (PANELIST_PRODUCTION=1).")
    SECRET_KEY = "panelist-local-development-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    "accounts.apps.SignInThrottlingConfig",  # axes
    "django_otp",
    "accounts.apps.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp
    "accounts.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static: two-factor recovery codes
    # The job queue (docs/architecture.md, Background jobs): its migrations create its tables in
    # our database. Before our apps, as Procrastinate asks, so its app is ready before theirs.
    "procrastinate.contrib.django",
    "jobs",
    "mail",
    "accounts",
    "notifications",
    "webhooks",  # signed webhooks for an ATS (docs/webhooks.md)
    "questionbank",
    "scoring",
    "interviews",
    # The role groups get their permissions after the last app's migrate (accounts/roles.py).
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 400 for NUL or a lone surrogate in the path, a query or a form (before any view reads them).
    "config.middleware.RefuseUnstorableCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Times shown and typed in the signed-in person's zone, kept in the session (no query).
    "accounts.middleware.TimeZoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # "Cache-Control: private, no-store" on every response to a signed-in user (static files
    # never get this far: WhiteNoise answers them above).
    "config.middleware.PrivatePagesNoStoreMiddleware",
    # Role changes made in a request are audited with its user as actor (accounts/signals.py).
    "accounts.middleware.AuditActorMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # 413 for a body over MAX_REQUEST_BYTES, 411 without a length, sign-in first for an anonymous
    # upload. Its check runs in the request phase, which for every middleware comes before any
    # process_view, and the first code to read a body is a process_view (CSRF's token check reads
    # request.POST), so no body is parsed before it. Placed after authentication (it asks who is
    # signed in) and after the header middleware, so its refusals carry their headers.
    "config.middleware.RequestBodyLimitMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    # Two-factor sign-in (accounts/two_factor.py): decides from the session, no query for most users.
    "accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-ins while a username + IP is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading permissions and roles in one query per request.
    "accounts.backends.RoleBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Forms and their widgets render with Django templates (the default form renderer): the admin's
# widgets exist only as Django templates, and tests/test_admin.py opens every admin page.
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
                "interviews.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR)}

# Each app process's own memory. No page caches its data (docs/performance.md: every page
# meets its budget computed afresh), so there is no setting to turn application caches off.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 300},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (Procrastinate; docs/operations.md). Each app that needs jobs has a tasks.py,
# found by the default PROCRASTINATE_AUTODISCOVER_MODULE_NAME ("tasks"). Workers: `manage.py
# procrastinate worker`. A job that succeeds is deleted (its effect is the record); a failed one
# stays, with its error (jobs.JobError, recorded by the middleware ON_APP_READY installs), for
# an admin to see and retry.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}
PROCRASTINATE_ON_APP_READY = "jobs.middleware.install"

# Mail (docs/operations.md, Mail). Every message is first recorded in the outbox (mail.Message),
# then sent by a job. With EMAIL_HOST set, the job sends it by SMTP; without it (a developer's
# `make run`), the job keeps it in the outbox, unsent, for admins to read at /outbox/.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Panelist <panelist@localhost>")
MAIL_DELIVERY = "smtp" if EMAIL_HOST else "outbox"
# A Slack or Microsoft Teams incoming webhook that gets every position's events (besides each
# position's own): notifications/webhooks.py.
PANELIST_WEBHOOK_URL = env_str("PANELIST_WEBHOOK_URL", "")
PANELIST_WEBHOOK_FORMAT = env_str("PANELIST_WEBHOOK_FORMAT", "slack")
if PANELIST_WEBHOOK_URL and not PANELIST_WEBHOOK_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PANELIST_WEBHOOK_URL={PANELIST_WEBHOOK_URL!r} must start with https://.")
if PANELIST_WEBHOOK_FORMAT not in ("slack", "teams"):
    raise ImproperlyConfigured(f"PANELIST_WEBHOOK_FORMAT={PANELIST_WEBHOOK_FORMAT!r}: use slack or teams.")
# Signed webhooks (docs/webhooks.md): networks whose private, loopback or link-local addresses
# may receive them anyway (comma-separated CIDRs, e.g. "10.20.0.0/16" for an ATS inside the
# company network); empty, the default, refuses every such address.
PANELIST_WEBHOOKS_ALLOW_PRIVATE = env_list("PANELIST_WEBHOOKS_ALLOW_PRIVATE", [])
for _network in PANELIST_WEBHOOKS_ALLOW_PRIVATE:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"PANELIST_WEBHOOKS_ALLOW_PRIVATE: {_network!r} is not a network "
                                   "(write one like 10.20.0.0/16 or fd00::/8).") from None
check_mail_settings(host=EMAIL_HOST, port=EMAIL_PORT, use_tls=EMAIL_USE_TLS, use_ssl=EMAIL_USE_SSL,
                    user=EMAIL_HOST_USER, password=EMAIL_HOST_PASSWORD, from_email=DEFAULT_FROM_EMAIL,
                    production=PRODUCTION)

# Argon2id first; older hashes are upgraded on the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# base.html renders pages with {% localize off %}: passing every number through the locale's
# formatting cost about half of a page's template time (docs/performance.md). English (UK)
# numbers look the same either way (no thousands separator); these make dates printed without
# an explicit format look as en-gb's do.
DATE_FORMAT, TIME_FORMAT, DATETIME_FORMAT = "j M Y", "P", "j M Y, P"
SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT = "d/m/Y", "d/m/Y P"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# The site's public address, for links that leave the browser: calendar files and feeds
# (interviews/calendar.py). The host of calendar event UIDs ("interview-7@<domain>").
PANELIST_BASE_URL = env_str("PANELIST_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not PANELIST_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PANELIST_BASE_URL={PANELIST_BASE_URL!r} must start with http:// or https://.")
PANELIST_CALENDAR_DOMAIN = env_str("PANELIST_CALENDAR_DOMAIN", "panelist.local")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by npm from package-lock.json at install time (see docs/dependencies.md).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the files are served straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
if WHITENOISE_USE_FINDERS:
    # WhiteNoise expects STATIC_ROOT to exist even when it serves from the finders.
    STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Imports larger than this are refused with a message (questionbank.forms.ImportForm).
QUESTION_IMPORT_MAX_BYTES = env_int("QUESTION_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No request body may be larger (config.middleware.RequestBodyLimitMiddleware answers 413 before
# reading it): a 5 MB CV plus the form around it. The proxy in front should refuse larger bodies
# too (docs/operations.md). Uploads within it stay in memory, so none is written to a temporary file.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 6 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# Sign-in throttling (django-axes): 5 failures for one username from one IP lock that pair
# out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind N trusted proxies that each append to X-Forwarded-For (docs/operations.md), throttling
# and the audit log take the client's address from that header, N entries from the right, so a
# client cannot pick its own; 0 (the default) means direct connections: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "config.network.client_ip"

# Two-factor sign-in (django-otp, TOTP devices; docs/two-factor.md): the name authenticator apps show.
OTP_TOTP_ISSUER = "Panelist"

# People (accounts/people.py, docs/security.md "People"): an invitation link works this many days
# and once; a password reset link (Django's tokens) this many seconds and once; reset requests are
# refused beyond these counts an hour, per typed address and per client address.
PANELIST_INVITATION_DAYS = env_int("PANELIST_INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 3)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 10)

# Sessions: an absolute lifetime (the cookie and the server both end it) and an idle timeout
# (accounts/middleware.py). Django gives a new session key at every sign-in.
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 60 * 60)
if SESSION_IDLE_SECONDS < 60:
    # The last-seen stamp is written at most once a minute (accounts/middleware.py), so a shorter
    # timeout would sign people out mid-page; refuse it rather than behave oddly.
    raise ImproperlyConfigured(f"SESSION_IDLE_SECONDS={SESSION_IDLE_SECONDS} is below the 60-second minimum.")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # the live page's script reads the token from the form, not the cookie

# Content security policy (django-csp): only our own files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Single sign-on: OpenID Connect, authorization code with PKCE, through mozilla-django-oidc
# (accounts/oidc.py; docs/security.md, Single sign-on; the variables in docs/operations.md). Off
# unless PANELIST_OIDC_ISSUER is set. The provider's endpoints are read from the issuer's
# discovery document at the first sign-in (and again hourly), unless all four are given.
PANELIST_OIDC_ISSUER = env_str("PANELIST_OIDC_ISSUER", "").strip().rstrip("/")
PANELIST_SSO_ENABLED = bool(PANELIST_OIDC_ISSUER)
PANELIST_OIDC_PROVIDER_NAME = env_str("PANELIST_OIDC_PROVIDER_NAME", "single sign-on").strip() or "single sign-on"
PANELIST_OIDC_ALLOWED_DOMAINS = [domain.lower() for domain in env_list("PANELIST_OIDC_ALLOWED_DOMAINS", [])]
PANELIST_OIDC_GROUPS_CLAIM = env_str("PANELIST_OIDC_GROUPS_CLAIM", "groups").strip()
PANELIST_OIDC_ROLE_MAP = parse_role_map(env_str("PANELIST_OIDC_ROLE_MAP", ""))
PANELIST_OIDC_ENDPOINTS = {name: env_str(variable, "").strip() for name, variable in ENDPOINT_VARIABLES.items()}
# Local passwords off: only the break-glass users (usernames) may sign in with a password.
PANELIST_LOCAL_PASSWORDS = env_bool("PANELIST_LOCAL_PASSWORDS", True)
PANELIST_BREAK_GLASS_USERS = env_list("PANELIST_BREAK_GLASS_USERS", [])
OIDC_RP_CLIENT_ID = env_str("PANELIST_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = env_str("PANELIST_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("PANELIST_OIDC_SIGN_ALGORITHM", "RS256").strip()
OIDC_RP_SCOPES = env_str("PANELIST_OIDC_SCOPES", "openid email profile").strip()
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("PANELIST_OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
check_sso_settings(issuer=PANELIST_OIDC_ISSUER, client_id=OIDC_RP_CLIENT_ID, client_secret=OIDC_RP_CLIENT_SECRET,
                   allowed_domains=PANELIST_OIDC_ALLOWED_DOMAINS, groups_claim=PANELIST_OIDC_GROUPS_CLAIM,
                   sign_algorithm=OIDC_RP_SIGN_ALGO, endpoints=PANELIST_OIDC_ENDPOINTS,
                   local_passwords=PANELIST_LOCAL_PASSWORDS, break_glass_users=PANELIST_BREAK_GLASS_USERS)
# Always listed: while single sign-on is off it signs nobody in (and a session it signed in ends).
# It grants no permission: RoleBackend reads those.
AUTHENTICATION_BACKENDS += ["accounts.oidc.ProviderBackend"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- The REST API (api/, docs/api.md): Django REST framework, answering to personal access
# tokens only (no session, so no CSRF), JSON in and out, errors as RFC 9457 problem details,
# cursor pagination, a rate limit per token. The schema and its docs page: drf-spectacular,
# Swagger UI from drf-spectacular-sidecar (our own static files, no CDN).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.policies.TokenScope", "api.policies.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.policies.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_details_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token: "<n>/<second|minute|hour|day>". Counted in each app process's own cache
# (CACHES above), so with N processes a token gets up to N times this (docs/operations.md).
PANELIST_API_RATE = env_str("PANELIST_API_RATE", "600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Panelist API",
    "DESCRIPTION": "Positions, candidates, plans, questions, interviews, scorecards, decisions and calibration, "
                   "with the visibility rules of the pages. Send a personal access token as "
                   "`Authorization: Bearer <token>` (make one at /account/tokens/). docs/api.md has examples.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status": each its own enum in the schema, named here.
    "ENUM_NAME_OVERRIDES": {
        "PositionStatusEnum": "interviews.models.PositionStatus",
        "InterviewStatusEnum": "interviews.models.InterviewStatus",
        "QuestionStatusEnum": "questionbank.models.Status",
    },
}
