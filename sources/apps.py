from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and records"

    def ready(self) -> None:
        from . import caching  # noqa: F401  (connects the signals that bump the version)
