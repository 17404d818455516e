from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and records"

    def ready(self) -> None:
        from . import signals
        from .curation import admin  # noqa: F401 - registers the curators' admin pages

        signals.connect()
