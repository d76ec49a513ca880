from django.apps import AppConfig


class BaselineConfig(AppConfig):
    """Wagtail's built-in form page, installed only to benchmark against it."""

    name = "tests.bench.baseline"
    label = "bench_baseline"
