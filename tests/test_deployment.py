"""The production files hold together: compose services, health checks, volumes, and deploy checks."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
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
