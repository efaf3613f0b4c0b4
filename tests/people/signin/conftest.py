from tests.mailbox import outbox  # noqa: F401  (fixture)
from tests.oidc.fixtures import oidc_provider, sso_on  # noqa: F401  (fixtures: a real OpenID provider process)
