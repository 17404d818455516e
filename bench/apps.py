from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks: development only. Installed by ``archive.settings.bench`` and never by
    the production settings, so its command and its ceiling page do not ship."""

    name = "bench"
    verbose_name = "Benchmarks"
