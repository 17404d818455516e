"""Addresses of scans: images by their random key, IIIF by key and by document."""

from django.urls import path, re_path

from . import views

app_name = "scans"
KEY = r"(?P<key>[0-9a-f]{32})"

urlpatterns = [
    re_path(rf"^scans/{KEY}/thumb\.jpg$", views.ScanFileView.as_view(which="thumb"), name="thumb"),
    re_path(rf"^scans/{KEY}/web\.jpg$", views.ScanFileView.as_view(which="web"), name="web"),
    re_path(rf"^iiif/{KEY}/info\.json$", views.ImageInfoView.as_view(), name="iiif-info"),
    re_path(
        rf"^iiif/{KEY}/(?P<region>[^/]+)/(?P<size>[^/]+)/(?P<rotation>[^/]+)/(?P<quality>[^/]+)$",
        views.ImageRequestView.as_view(),
        name="iiif-image",
    ),
    path(
        "iiif/documents/<slug:slug>/manifest.json",
        views.ManifestView.as_view(),
        name="manifest",
    ),
]
