"""The archive's URLs plus the benchmark's ceiling page (benchmark settings only)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("__bench__/ceiling/", views.ceiling, name="bench-ceiling"),
    path("", include("archive.urls")),
]
