"""Embedded demo: SQLite, database search, eager Celery, console e-mail. No external service needed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]

# Payments against localstripe (started by `make demo` on port 8420), a fake Stripe API server.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_localstripe")

# Template and code edits show at once while developing: no anonymous page cache (PAGE_CACHE_SECONDS=60 turns it on).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
