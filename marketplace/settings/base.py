"""Settings shared by every environment. Secrets and service URLs come from the environment only."""

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # project
    "marketplace.accounts",
    "marketplace.organizations",
    "marketplace.audit",
    "marketplace.notifications",
    "marketplace.operations",
    "marketplace.statistics",
    "marketplace",
    "catalog",
    "orders",
    "cms",
    "search",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # auth
    "allauth",
    "allauth.account",
    # django
    "django_htmx",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marketplace.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                "catalog.context_processors.provider_dashboard",
                "marketplace.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database(url: str) -> dict[str, Any]:
    """The database settings of a URL. PostgreSQL connections run with JIT off: it compiles a statement's
    expressions anew on every execution, about 40 ms for a search matching 57,000 of 1,000,000 services, and
    gained nothing on any query measured here (bench/search.py)."""
    settings: dict[str, Any] = env.db_url_config(url)
    settings["ATOMIC_REQUESTS"] = False
    if settings["ENGINE"].endswith("postgresql"):
        options = settings.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return settings


DATABASES = {"default": database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "marketplace.accounts.validators.MinimumLengthValidator"},  # Django's rule, translated words
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: e-mail is the login; rate limits throttle failed logins per address and per IP.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,5/5m/key", "signup": "20/m/ip", "reset_password": "5/m/ip"}
# Behind N reverse proxies of ours, the client is the N-th address from the right of X-Forwarded-For (entries
# further left are whatever the client sent). 0: no proxy, the connecting address is the client.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Renders allauth's e-mails in the request and sends them through a task (marketplace/accounts/adapter.py).
ACCOUNT_ADAPTER = "marketplace.accounts.adapter.AccountAdapter"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "organizations:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# The language cookie (set by /i18n/setlang/; public pages take their language from the URL) is read by the
# server only and never sent with cross-site subrequests; production also marks it Secure.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "marketplace" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Organization-owned uploads; outside MEDIA_ROOT, never served by a URL of their own (marketplace/storage.py).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds an anonymous visitor's public page may be served from the cache (marketplace.page_cache); any write to
# public content invalidates it sooner. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "marketplace.redis_cache.RedisCache", "LOCATION": REDIS_URL}}

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A message is acknowledged when its task ends, and goes back to the queue if the process running it dies
# (kill -9, out of memory): tasks are idempotent, so running again is safe and losing one is not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message per worker process at a time: no task waits in the buffer of a process busy with a long one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is bounded. At the soft limit the task gets SoftTimeLimitExceeded (and can record a failure);
# at the hard limit its process is killed and replaced. Tasks that need longer say so in their decorator
# (or in CELERY_TASK_ANNOTATIONS below).
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Bulk catalog work (untrusted spreadsheets, the nightly index rebuild) has its own queue, so a hostile file
# delays other imports at most, never notifications or payments. Workers: `-Q celery,imports`.
CELERY_TASK_ROUTES = {
    "catalog.tasks.validate_service_import": {"queue": "imports"},
    "catalog.tasks.commit_service_import": {"queue": "imports"},
    "search.tasks.reconcile_index": {"queue": "imports"},
}
# Reindexing every service of a provider, category or instrument grows with the catalog; the nightly
# reconciliation repairs whatever one of them could not finish in time.
CELERY_TASK_ANNOTATIONS = {
    name: {"soft_time_limit": 600, "time_limit": 660}
    for name in (
        "search.tasks.sync_provider_services",
        "search.tasks.sync_category_services",
        "search.tasks.sync_equipment_services",
    )
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged message to another worker after this long. It must exceed the longest
    # hard time limit (search.tasks.reconcile_index, 3600 s) plus the longest retry countdown (600 s), or a
    # task still running would be started a second time. A worker killed outright (not just one of its
    # processes) has its messages redelivered after this long; notifications go out sooner via the outbox relay.
    "visibility_timeout": 2 * 3600,
    # A request that queues a task while Redis is unreachable or hung gives up after seconds, not never
    # (measured: ~0.7 s refused, ~5 s hung); workers block on Redis for 1 s at a time, well below this.
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@innovation-services.example.cn")

SEARCH_BACKEND = env("SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Elasticsearch index alias; each rebuild creates "<alias>-<timestamp>" and swaps the alias atomically.
SEARCH_INDEX_ALIAS = env("SEARCH_INDEX_ALIAS", default="services")

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

WAGTAIL_SITE_NAME = "Innovation Services"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Gravatar is blocked in mainland China: the admin shows Wagtail's default avatar instead of a broken image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.AdminLoginForm"
# Editors' documents: only office/PDF/archive/text/picture files (no .html, .svg, .js that a browser would run),
# always served through Wagtail's view (nosniff, `default-src 'none'` CSP), as a download except PDFs.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls", "zip", "txt", "csv", "png", "jpg"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]

# Callables `(request, query_text) -> str` whose HTML the site search page renders as extra result sections.
SEARCH_RESULT_SECTIONS: list[str] = ["cms.search_sections.bulletin_section"]

# Loaders run, in order, by `manage.py demo`; each app owns its own demo content.
DEMO_LOADERS = [
    "marketplace.organizations.demo.load",
    "catalog.demo.load",
    "marketplace.operations.demo.load",
    "orders.demo.load",
    "cms.demo.load",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Wagtail's background tasks and page actions log every step at INFO; keep warnings only.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF they render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},  # logs every API request at INFO
    },
}

# Orders: VAT on technical services (6 %), how long a quote stays valid by default, upload limits.
ORDER_DEFAULT_VAT_RATE = "0.06"
QUOTE_DEFAULT_VALIDITY_DAYS = 30
ORDER_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# An unpaid equipment booking holds its time this long, then the slot is free again.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=30)
# A booking kept with a bank-transfer reference is released if the money is not confirmed within this many days.
BOOKING_TRANSFER_DAYS = env.int("BOOKING_TRANSFER_DAYS", default=5)
