import pytest

from tests.oidc.fixtures import browser_oidc_provider, configure_sso  # noqa: F401  (fixture: a real OpenID provider)


@pytest.fixture
def sso_on(settings, browser_oidc_provider):  # noqa: F811
    """socialpolicy, served by the live server, signing in through the real provider as Microsoft and Google."""
    return configure_sso(settings, browser_oidc_provider)
