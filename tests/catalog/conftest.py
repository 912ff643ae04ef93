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
