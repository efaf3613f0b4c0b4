"""Signing in with the school's own accounts (issue 18).

- providers.py: the OpenID Connect clients (Authlib) built from settings.SSO_PROVIDERS.
- services.py: matching an identity to an existing employee (never creating one), the identity
  provider's multi-factor proof, recovery codes and the break-glass announcement.
- views.py / urls.py: the sign-in round trip, the refusal page, sign-out and recovery codes.
"""
