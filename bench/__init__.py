"""Benchmarks, a development-only app: ``make bench`` (``bench/load.py``: the production
server under wrk, with the ``/__bench__/ceiling/`` page as the yardstick) and ``make
bench-search`` (``manage.py bench_search``: search at archive scale). Installed only by
``archive.settings.bench``."""
