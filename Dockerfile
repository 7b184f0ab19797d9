# The web, worker and beat image; docker-compose.yml runs it. Settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DATA_DIR=/app/data \
    WEB_CONCURRENCY=3

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# .dockerignore keeps .venv, data/ and .git out of the image.
COPY . .
RUN pip install . && mkdir -p /app/data && chown app:app /app/data

USER app
# DEBUG off selects the hashed, compressed static storage; settings then demand SECRET_KEY and
# ALLOWED_HOSTS, so dummy values are set for this command only.
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

# Declared after collectstatic: a build step's writes under a volume path are discarded.
VOLUME ["/app/data"]
EXPOSE 8000
# Workers: WEB_CONCURRENCY (gunicorn's own variable), 3 unless set.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
