"""Production: everything from the environment; fails fast when a required variable is missing."""

from celery.schedules import crontab

from .base import *  # noqa: F403
from .base import database, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database(env("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
REDIS_URL = env("REDIS_URL")
CACHES = {"default": {"BACKEND": "marketplace.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
# Sessions live in the database, cached in Redis: flushing or losing the cache signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The broker may be a Redis of its own: an outage of the cache's Redis then leaves the queue alone.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Scheduled publishing: go-live and expiry times are honoured within a minute.
    "cms-publish-scheduled-pages": {"task": "cms.tasks.publish_scheduled_pages", "schedule": 60.0},
    # Quotes past their validity date are closed (and the buyer can no longer accept them) every hour.
    "orders-expire-quotes": {"task": "orders.tasks.expire_quotes", "schedule": 3600.0},
    # Buyers hear the day before an open quote expires (Beijing morning).
    "orders-remind-expiring-quotes": {
        "task": "orders.tasks.remind_expiring_quotes",
        "schedule": crontab(hour=9, minute=0),
    },
    # Card payments whose webhook never arrived are settled by asking Stripe.
    "orders-reconcile-payments": {"task": "orders.tasks.reconcile_payments", "schedule": 600.0},
    # Unpaid booking holds release their time within a minute of expiring.
    "orders-expire-booking-holds": {"task": "orders.tasks.expire_booking_holds", "schedule": 60.0},
    # Notifications whose on-commit nudge did not reach the broker (Redis was down) go out within a minute
    # or two of its return. A run still queued when the next one is due is dropped, not piled up.
    "orders-relay-outbox": {"task": "orders.tasks.relay_outbox", "schedule": 60.0, "options": {"expires": 55}},
    # The search index is rebuilt from the catalog every night (queue "imports"), repairing what any
    # indexing task missed.
    "search-reconcile-index": {"task": "search.tasks.reconcile_index", "schedule": crontab(hour=3, minute=30)},
    # The maintained public-service counts of providers and categories are recounted from the rows every night.
    "catalog-recount-public-services": {
        "task": "catalog.tasks.refresh_public_counts",
        "schedule": crontab(hour=3, minute=0),
    },
    # Providers hear 30 days before a CNAS / CMA certificate expires; expired ones are flagged in the console.
    "operations-remind-expiring-accreditations": {
        "task": "marketplace.operations.tasks.remind_expiring_accreditations",
        "schedule": crontab(hour=8, minute=0),
    },
    # Providers' morning summary of what waits for them (Beijing time, before the working day).
    "orders-provider-digests": {"task": "orders.tasks.send_provider_digests", "schedule": crontab(hour=7, minute=30)},
}

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")
