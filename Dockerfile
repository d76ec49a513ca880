# Production image: gunicorn serves the site; the same image runs the Huey worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MAILLAGE_VAR_DIR=/app/var \
    PORT=8000

RUN useradd --create-home --uid 1000 maillage
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=maillage:maillage . .
RUN python -m babel.messages.frontend compile --domain django --directory site/locale \
 && DJANGO_SECRET_KEY=build-only-not-secret DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build/build REDIS_URL=redis://build:6379/0 \
    EMAIL_URL=consolemail:// WAGTAILADMIN_BASE_URL=http://build \
    MAILLAGE_CLIENT_ADDRESS_HEADER=REMOTE_ADDR \
    python manage.py collectstatic --no-input \
 && mkdir -p /app/var && chown -R maillage:maillage /app/var

USER maillage
EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
