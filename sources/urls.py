"""The public URLs (stable: archives are cited). Reading pages live in
``sources.reading.views``, the search and the filtered document list in
``sources.search.views``."""

from django.urls import path

from .claims import views as claim_views
from .graph import views as graph_views
from .reading import views
from .search import views as search_views

app_name = "sources"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("documents/", search_views.DocumentListView.as_view(), name="document-list"),
    path("documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("people/", views.EntityListView.as_view(kind="person"), name="person-list"),
    path(
        "people/<slug:slug>/", views.EntityDetailView.as_view(kind="person"), name="person-detail"
    ),
    path("places/", views.EntityListView.as_view(kind="place"), name="place-list"),
    path("places/<slug:slug>/", views.EntityDetailView.as_view(kind="place"), name="place-detail"),
    path(
        "organizations/",
        views.EntityListView.as_view(kind="organization"),
        name="organization-list",
    ),
    path(
        "organizations/<slug:slug>/",
        views.EntityDetailView.as_view(kind="organization"),
        name="organization-detail",
    ),
    path("events/", views.EntityListView.as_view(kind="event"), name="event-list"),
    path("events/<slug:slug>/", views.EntityDetailView.as_view(kind="event"), name="event-detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("map/", views.MapView.as_view(), name="map"),
    path("disagreements/", claim_views.DisagreementsView.as_view(), name="disagreements"),
    path("search/", search_views.SearchView.as_view(), name="search"),
    path("search/suggest/", search_views.SuggestView.as_view(), name="suggest"),
    path("connections/", graph_views.ConnectionView.as_view(), name="connections"),
]
