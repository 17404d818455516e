from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and records"

    def ready(self) -> None:
        # After the models' own receivers (search_names), so the index sees fresh names.
        from . import caching  # noqa: F401  (connects the signals that bump the version)
        from .search_index import connect_signals

        connect_signals()
