# Production image: gunicorn serving the app; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 app
# Pango for WeasyPrint, which makes the case letters as PDFs, and DejaVu for their font; pg_dump/pg_restore for the
# nightly backup: PostgreSQL 15, the supported major (docs/DEPLOYING.md).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    postgresql-client-15 && rm -rf /var/lib/apt/lists/*
# Production packages only, each checked against its hash: no test tools, browser or embedded PostgreSQL/Redis.
COPY requirements/production.txt ./requirements-production.txt
RUN pip install --require-hashes --no-deps -r requirements-production.txt
COPY . .
COPY --from=assets /build/node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
COPY --from=assets /build/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
COPY --from=assets /build/node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
# collectstatic needs settings but no database or secrets: give it throwaway values.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && mkdir -p /data/private /data/backups && chown -R app /data /app
USER app
ENV PRIVATE_STORAGE_ROOT=/data/private
EXPOSE 8000
# /health/ through the reverse proxy's eyes (operations/probe.py); 503 names the failing part in the log.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 CMD ["python", "-m", "operations.probe"]
CMD ["gunicorn", "socialpolicy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
