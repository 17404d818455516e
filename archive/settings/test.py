"""Test runs: fast password hashing, a fixed key; the database still comes from
DATABASE_URL so the suite runs on SQLite and on PostgreSQL alike."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the source folders, as in development: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Quiet request logs in test output; the logging tests turn them on where they look.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "archive.requests": {"level": "WARNING"}}}  # noqa: F405

# Views are measured, not the page store (the caching tests turn it on where they look).
PUBLIC_PAGE_CACHE = False

# The API's rate limit is tested where it is looked at (tests/interop/test_api.py).
API_THROTTLE_RATE = "100000/minute"
