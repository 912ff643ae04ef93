import pytest

from tests.factories import MembershipFactory, ProviderFactory, ServiceCategoryFactory


@pytest.fixture
def provider():
    return ProviderFactory()


@pytest.fixture
def member(provider):
    """A user who owns the provider's organization."""
    return MembershipFactory(organization=provider.organization).user


@pytest.fixture
def category():
    return ServiceCategoryFactory(slug="mechanical-testing")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Overrides tests/conftest.py's flush for the catalog package.

    Under xdist both workers share one Redis, and a flush from here would reset the login rate-limit
    counters that a marketplace test on the other worker is counting. Catalog tests only put import
    progress in the cache, under keys of their own import ids, so there is nothing to clear.
    """
    yield
