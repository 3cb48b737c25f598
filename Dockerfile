# The app for a town server: `docker compose up` (compose.yaml) runs it with PostgreSQL and the
# job worker; docs/deployment.md says how. Only the runtime requirements: no test tools.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/worldcafe

# Dependencies first, so a change to the code alone reuses this layer.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# What `make run` does before serving, done once here: compiled catalogs and static files under
# hashed names (the running app only reads them, so the image stays read-only for its user).
RUN pybabel compile --domain messages --directory translations \
    && flask --app wsgi digest compile \
    && useradd --system --no-create-home --home-dir /srv/worldcafe --shell /usr/sbin/nologin worldcafe \
    && mkdir -p instance \
    && chown worldcafe:worldcafe instance

USER worldcafe

# The code's version, written into each backup (app/backup/format.py): the image holds no .git to
# read it from. `docker compose build --build-arg APP_VERSION=$(git rev-parse --short HEAD)`
ARG APP_VERSION=unknown

# Production settings (a SECRET_KEY is required, cookies only over HTTPS); the address gunicorn
# binds inside the container. Everything else comes from the environment (compose.yaml).
ENV APP_ENV=production \
    APP_VERSION=$APP_VERSION \
    HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=3)"]

# The one migration step, then the server as `make serve` starts it; exec, so that gunicorn gets
# the container's stop signal and lets requests in progress finish.
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn -c gunicorn.conf.py wsgi:app"]
