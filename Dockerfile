# The image behind docker-compose.yml: one image for web, worker and beat (see Procfile).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

WORKDIR /app
# ffmpeg/ffprobe: the media worker probes and transcodes uploaded videos; libcairo2: the
# atlas's PNG download (CairoSVG).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg libcairo2 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# Compile the Persian catalogue and collect (and compress) static files at build time; the
# placeholder values only satisfy the production settings' checks, nothing connects.
RUN python -c 'import polib; polib.pofile("locale/fa/LC_MESSAGES/django.po").save_as_mofile("locale/fa/LC_MESSAGES/django.mo")' \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=build \
       python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home --uid 1000 nehzat \
    && mkdir -p /app/media \
    && chown nehzat /app/media

USER nehzat
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py"]
