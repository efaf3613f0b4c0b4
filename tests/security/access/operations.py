"""The health page: open to everyone, signed in or not (a load balancer reads it); GET only. It answers 200 or
503 depending on the services the test run has (a worker, last night's purge), never anything else."""

from tests.security.matrix import ROLES, Case, s

ROUTES = {
    "health": [Case(expect={role: (s(200, 503), s(405)) for role in ROLES})],
}
