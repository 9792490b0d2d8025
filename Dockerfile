# Production-like image: gunicorn serving the app, the same image runs the worker and beat.
FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libpangocairo-1.0-0 fonts-dejavu-core \
      fonts-noto-core fonts-noto-cjk \
      nodejs npm gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .

# Production settings refuse to load without these; the values here are for this step only
# (a throwaway signing key, a cache that is never reached).
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-collectstatic-key-that-is-long-enough-to-pass \
    DJANGO_ALLOWED_HOSTS=build CACHE_URL=redis://build:6379/0 \
    IMHCF_CREDENTIAL_SIGNING_KEY="$(python -c 'from joserfc.jwk import OKPKey; print(OKPKey.generate_key("Ed25519").as_pem(private=True).decode())')" \
    python manage.py collectstatic --no-input \
 && msgfmt --check -o locale/cy/LC_MESSAGES/django.mo locale/cy/LC_MESSAGES/django.po \
 && useradd --create-home --uid 10001 imhcf \
 && mkdir -p /app/var && chown -R imhcf /app/var

USER imhcf
EXPOSE 8000
CMD ["gunicorn", "imhcf.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
