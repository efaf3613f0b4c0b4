"""The OpenID Connect clients, one per configured provider, built from settings.SSO_PROVIDERS.

Authlib does the protocol: discovery, `state` and `nonce` kept in the session, PKCE, the code exchange,
and the ID token's signature (against the provider's published keys), issuer, audience, expiry and
nonce. Everything about who may sign in is ours (services.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import Http404

_lock = threading.Lock()
_clients: dict[tuple, object] = {}


@dataclass(frozen=True)
class Provider:
    slug: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    uid_claim: str
    email_claims: tuple[str, ...]
    directory_email_trusted: bool

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def configured_providers() -> list[Provider]:
    return [_provider(slug, conf) for slug, conf in settings.SSO_PROVIDERS.items()]


def provider_get(slug: str) -> Provider:
    conf = settings.SSO_PROVIDERS.get(slug)
    if conf is None:
        raise Http404("No such sign-in provider")
    return _provider(slug, conf)


def _provider(slug: str, conf: dict) -> Provider:
    return Provider(
        slug=slug,
        label=conf["label"],
        issuer=conf["issuer"],
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        uid_claim=conf.get("uid_claim", "sub"),
        email_claims=tuple(conf.get("email_claims", ["email"])),
        directory_email_trusted=bool(conf.get("directory_email_trusted", False)),
    )


def client_for(provider: Provider):
    """One Authlib client per provider configuration; it caches the discovery document and keys."""
    key = (provider.slug, provider.issuer, provider.client_id, provider.client_secret)
    with _lock:
        client = _clients.get(key)
        if client is None:
            registry = OAuth()
            client = registry.register(
                name=provider.slug,
                client_id=provider.client_id,
                client_secret=provider.client_secret,
                server_metadata_url=provider.metadata_url,
                client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
            )
            _clients[key] = client
    return client
