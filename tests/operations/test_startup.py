"""A production host with a forgotten DATABASE_URL or REDIS_URL stops at start-up; it never quietly starts the
embedded development services and migrates an empty database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialpolicy import localservices

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path, *args, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SOCIALPOLICY_EMBEDDED_SERVICES"}
    }
    environ.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="socialpolicy.example.org", SOCIALPOLICY_DATA_DIR=str(tmp_path))
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("debug", [None, "false"])
def test_manage_py_without_database_url_in_production_stops_with_a_clear_message(tmp_path, debug):
    result = _manage(tmp_path, "migrate", "--noinput", **({"DEBUG": debug} if debug else {}))
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [], "no embedded cluster may be created"


def test_without_redis_url_in_production_it_stops_too(tmp_path):
    result = _manage(tmp_path, "check", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode != 0 and "REDIS_URL is not set" in result.stderr


def test_the_localservices_wrapper_refuses_too(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environ["SOCIALPOLICY_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "socialpolicy.localservices", "--", "true"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "DATABASE_URL is not set" in result.stderr


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({"DEBUG": "true"}, True),
        ({"DEBUG": "false"}, False),
        ({}, False),
        ({"DEBUG": "false", "SOCIALPOLICY_EMBEDDED_SERVICES": "true"}, True),
    ],
)
def test_embedded_services_are_for_development_or_asked_for_by_name(monkeypatch, env, allowed):
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("SOCIALPOLICY_EMBEDDED_SERVICES", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert localservices.embedded_allowed() is allowed
