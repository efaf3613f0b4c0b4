# Production image: gunicorn serving the app; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
COPY --from=assets /build/node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
COPY --from=assets /build/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
COPY --from=assets /build/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
COPY --from=assets /build/node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
# collectstatic needs settings but no database or secrets: give it throwaway values.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && mkdir -p /data/private && chown -R app /data /app
USER app
ENV PRIVATE_STORAGE_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "socialpolicy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
