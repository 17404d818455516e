"""The addresses other software reads: citation downloads, TEI, "cite these", the
sitemap, robots.txt and the Atom feed. Included at the site root from archive/urls.py."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import views
from .feeds import NewSourcesFeed
from .sitemaps import SITEMAPS

app_name = "interop"

urlpatterns = [
    re_path(
        r"^documents/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<extension>bib|ris|json)$",
        views.document_citation,
        name="document-cite-file",
    ),
    path("documents/<slug:slug>/cite/", views.document_citation, name="document-cite"),
    path("documents/<slug:slug>/tei.xml", views.document_tei, name="document-tei"),
    path("cite/", views.cite_these, name="cite-these"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/new-sources.atom", NewSourcesFeed(), name="feed"),
]
