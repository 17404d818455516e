"""Benchmarks (``make bench``, ``make bench-search``): the production settings, plus the
development-only ``bench`` app and its ceiling page. Never deploy with these.

Benchmarks run on loopback without TLS, so HTTPS redirects are off, and they may run
without a SECRET_KEY in the environment (a random one is made for the run)."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from .prod import *  # noqa: F403
from .prod import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
