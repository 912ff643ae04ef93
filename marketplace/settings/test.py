"""Test settings: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI), SQLite otherwise."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in-process during tests; tests/test_celery.py drives a real worker through Redis.
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "optional"
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/marketplace-test-media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default="/tmp/marketplace-test-private")
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
}

# pytest-xdist workers share one Redis. Each worker gets its own Redis database so that one worker's
# cache.clear() (tests/conftest.py) or failed logins cannot reset or trip another worker's rate limits.
_XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _XDIST_WORKER.startswith("gw"):  # noqa: F405
    CACHES["default"]["LOCATION"] = f"{REDIS_URL.rsplit('/', 1)[0]}/{int(_XDIST_WORKER[2:]) % 15 + 1}"  # noqa: F405

# Payments: localstripe, started by scripts/test.sh (STRIPE_API_BASE); the secrets are test-only values.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_SECRET_KEY = "sk_test_localstripe"  # noqa: S105
STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"  # noqa: S105
