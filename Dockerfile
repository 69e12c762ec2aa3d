# One stateless app node: gunicorn with gunicorn.conf.py, as `make serve` runs it, against the PostgreSQL
# and Redis that DATABASE_URL and HELPDESK_RATELIMIT_STORAGE_URI name (compose.yaml wires all three).
# Schema migrations run once per deployment, not per node: `docker run … helpdesk init-db`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HELPDESK_INSTANCE_DIR=/var/lib/helpdesk \
    HELPDESK_INDEX_DIR=/app/index \
    HELPDESK_BIND=0.0.0.0:8000

RUN groupadd --system --gid 10001 helpdesk \
    && useradd --system --uid 10001 --gid helpdesk --home-dir /app --shell /usr/sbin/nologin helpdesk \
    && install -d -o helpdesk -g helpdesk -m 700 /var/lib/helpdesk

WORKDIR /app
# The checkout is the deployment unit (corpus/, routing/, templates/ and translations/ are read beside the package),
# hence an editable install of the package with its data.
COPY pyproject.toml README.md wsgi.py gunicorn.conf.py ./
COPY helpdesk ./helpdesk
COPY corpus ./corpus
COPY routing ./routing
COPY templates ./templates
COPY translations ./translations
RUN pip install --no-cache-dir -e '.[postgres,redis]' \
    && install -d -o helpdesk -g helpdesk /app/index

USER 10001:10001
# The search index is built into the image (it is rebuilt from corpus + model, so never backed up);
# nodes then start in seconds. The key is a placeholder so that no session key is written into the image.
RUN SECRET_KEY=image-build-only helpdesk index build

VOLUME ["/var/lib/helpdesk"]
EXPOSE 8000
# Liveness only (no database, no model): a database blip must not get healthy nodes restarted.
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
