"""A Celery worker that a test starts as a subprocess (tests/test_celery_worker.py): the test settings with the
test run's database (DATABASE_URL), a broker database of its own and e-mails written to files it can count."""

from .test import *  # noqa: F403
from .test import CELERY_BROKER_TRANSPORT_OPTIONS, env

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
# A restarted worker takes over the unacknowledged messages of one killed outright after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env.int(
        "CELERY_VISIBILITY_TIMEOUT", default=CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ),
}
