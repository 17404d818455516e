"""What the archive lets out to other software: citations in every format a reference
manager reads (``csl``, ``citations``), linked data and page metadata (``linkeddata``),
TEI (``tei``), and discovery (``sitemaps``, ``feeds``, robots.txt). One source of truth
per document: the CSL-JSON record of ``csl.csl_record``; every other format derives
from it or from the same metadata, with absolute URLs from ``settings.SITE_URL``."""
