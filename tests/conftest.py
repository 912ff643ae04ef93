import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, assert_clean, open_page

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The real Celery worker fixtures (`worker`, `mail_dir`) for the modules that need one.
pytest_plugins = ["tests.worker_harness"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache (Redis in CI); every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Requests to /en/ leave English active in the test thread; every test starts in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium per test worker: Playwright's sync API allows one running instance per thread."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A watched page: a console error, uncaught exception or CSP violation during the test fails it."""
    page = open_page(browser, width=1280)
    yield page
    page.context.close()
    assert_clean(page)


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """A real localstripe server (the fake Stripe API) for this test worker, on a free loopback port.

    One per xdist worker: workers never see each other's intents or webhook registrations.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = Path(sys.executable).with_name("localstripe")
    proc = subprocess.Popen(  # noqa: S603 - our own venv's executable
        [str(exe), "--port", str(port), "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1).close()  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def stripe_api(localstripe_url: str, settings) -> str:
    """Point the payment code at this worker's localstripe."""
    settings.STRIPE_API_BASE = localstripe_url
    return localstripe_url


@pytest.fixture
def production(monkeypatch) -> Iterator[ModuleType]:
    """The production settings module, imported with the environment it requires."""
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.cn",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "WAGTAILADMIN_BASE_URL": "https://example.cn",
    }.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("marketplace.settings.production", None)
    yield importlib.import_module("marketplace.settings.production")
    sys.modules.pop("marketplace.settings.production", None)
