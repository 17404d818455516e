"""WSGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.prod")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the URLconf, the models, the libraries) lives as
# long as the worker. Moved out of the collector's generations, it is no longer walked by
# every full collection, which a page that builds a few thousand objects (any list)
# otherwise triggers every few requests: measured at a quarter of an uncached page's CPU
# (docs/scale.md, "Uncached pages").
gc.collect()
gc.freeze()
