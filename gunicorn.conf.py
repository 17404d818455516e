"""gunicorn's settings for the production server, shared by ``make serve`` and ``make
bench`` so that the benchmark measures exactly the server that is deployed (the address
and the log level are the only things each passes on the command line)."""

import os

wsgi_app = "archive.wsgi"
workers = int(os.environ.get("WORKERS", "2"))
timeout = 30
graceful_timeout = 20
