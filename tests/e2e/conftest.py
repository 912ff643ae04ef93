"""Fixtures of the browser journeys."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(stripe_api) -> None:
    """The demo site (`manage.py demo`), with card payments going to this worker's localstripe."""
    call_command("demo", verbosity=0)
