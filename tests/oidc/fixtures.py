"""A real OpenID Connect provider process for the sign-in tests (tests/oidc/provider.mjs, the certified
`oidc-provider` package from npm), and the settings that point socialpolicy at it as two providers.

Import the fixtures into a test module: `from tests.oidc.fixtures import oidc_provider, sso_on  # noqa: F401`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
DOMAIN = "demo.socialpolicy.invalid"
SECRETS = {"microsoft": "microsoft-test-secret", "google": "google-test-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class OIDCProvider:
    issuer: str
    accounts_file: Path
    accounts: dict = field(default_factory=dict)

    def client_id(self, slug: str) -> str:
        return f"socialpolicy-{slug}"

    def add_account(self, name: str, *, email: str, oid: str | None = None, email_verified=True, amr=None, acr=None):
        """An account in the provider's directory; `name` is what the test types on its sign-in page."""
        claims = {"email": email, "email_verified": email_verified, "preferred_username": email, "name": name}
        claims["oid"] = oid or f"oid-{name}"
        self.accounts[name] = {"claims": claims, "amr": amr or ["pwd"], "acr": acr or "urn:test:pwd"}
        self.accounts_file.write_text(json.dumps(self.accounts))

    def next_id_token(self, mode: str) -> None:
        """Have the provider rewrite its next ID token (see provider.mjs: tamper, expired, audience, nonce, issuer)."""
        requests.get(f"{self.issuer}/__test/mode", params={"set": mode}, timeout=10).raise_for_status()


@contextmanager
def running_provider(bases: list[str], tmp_path_factory):
    """Start provider.mjs with one client per provider slug whose callbacks are on the given sites."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        skip_or_fail("node and the npm package oidc-provider are needed (make install runs npm ci)")
    port = _free_port()
    accounts_file = tmp_path_factory.mktemp("oidc") / "accounts.json"
    accounts_file.write_text("{}")
    clients = [
        {
            "client_id": f"socialpolicy-{slug}",
            "client_secret": secret,
            "redirect_uris": [f"{base}/accounts/sso/{slug}/callback/" for base in bases],
            "post_logout_redirect_uris": [f"{base}/accounts/login/" for base in bases],
        }
        for slug, secret in SECRETS.items()
    ]
    env = {**os.environ, "PORT": str(port), "CLIENTS": json.dumps(clients), "ACCOUNTS_FILE": str(accounts_file)}
    log = (accounts_file.parent / "oidc-provider.log").open("w")
    process = subprocess.Popen([node, str(SCRIPT)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # generating its RSA key on a busy machine can take a while
    try:
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the OpenID provider did not start; see {log.name}")
                time.sleep(0.3)
        yield OIDCProvider(issuer=issuer, accounts_file=accounts_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The provider for the Django test client (whose site is http://testserver)."""
    with running_provider(["http://testserver"], tmp_path_factory) as provider:
        yield provider


@pytest.fixture(scope="session")
def browser_oidc_provider(live_server, tmp_path_factory):
    """The provider for the browser journeys, whose callbacks are on pytest-django's live server."""
    with running_provider([live_server.url], tmp_path_factory) as provider:
        yield provider


def configure_sso(settings, oidc_provider: OIDCProvider) -> OIDCProvider:
    """socialpolicy configured with two providers, "Microsoft" (matched by `oid`) and "Google" (by `sub`),
    both served by the test provider, and the demo council's email domain allowed."""
    common = {"issuer": oidc_provider.issuer, "email_claims": ["email"]}
    settings.SSO_PROVIDERS = {
        "microsoft": {
            **common,
            "label": "Microsoft",
            "client_id": oidc_provider.client_id("microsoft"),
            "client_secret": SECRETS["microsoft"],
            "uid_claim": "oid",
            "directory_email_trusted": True,
        },
        "google": {
            **common,
            "label": "Google",
            "client_id": oidc_provider.client_id("google"),
            "client_secret": SECRETS["google"],
            "uid_claim": "sub",
            "directory_email_trusted": False,
        },
    }
    settings.SSO_ALLOWED_EMAIL_DOMAINS = [DOMAIN]
    settings.SSO_MFA_AMR_VALUES = ["mfa"]
    settings.SSO_MFA_ACR_VALUES = ["urn:test:mfa"]
    return oidc_provider


@pytest.fixture
def sso_on(settings, oidc_provider):
    return configure_sso(settings, oidc_provider)


def provider_round_trip(client, provider: OIDCProvider, slug: str, account: str, *, next_url: str = ""):
    """Start single sign-on with the Django test client, sign in at the real provider as `account` over HTTP,
    and return the callback URL (path and query) the provider sends the browser back to, not yet followed."""
    start = client.get(f"/accounts/sso/{slug}/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:500]
    browser = requests.Session()
    url = start["Location"]
    for _ in range(10):
        if url.startswith("http://testserver"):
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
        if url.startswith("/"):
            url = provider.issuer + url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            uid = urlsplit(url).path.rstrip("/").split("/")[-1]
            response = browser.post(
                f"{provider.issuer}/interaction/{uid}/login", data={"login": account}, allow_redirects=False
            )
        assert response.status_code in (302, 303), (url, response.status_code, response.text[:500])
        url = response.headers["Location"]
    raise AssertionError("the provider never sent the browser back")
