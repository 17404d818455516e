"""/api/v1/…: each record's API address mirrors its page's (/documents/<slug>/ →
/api/v1/documents/<slug>/), from the same slug. /api/schema/ and /api/docs/ describe it."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from ...models.entities import KIND_PATHS
from . import views

app_name = "api"

urlpatterns = [
    path("v1/", views.ApiRootView.as_view(), name="root"),
    path("v1/documents/", views.DocumentListView.as_view(), name="document-list"),
    path("v1/documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("v1/mentions/", views.MentionListView.as_view(), name="mention-list"),
    path("v1/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
]
for kind, plural in KIND_PATHS.items():
    urlpatterns += [
        path(
            f"v1/{plural}/",
            views.EntityListView.as_view(kind=kind),
            name=f"{kind}-list",
        ),
        path(
            f"v1/{plural}/<slug:slug>/",
            views.EntityDetailView.as_view(kind=kind),
            name=f"{kind}-detail",
        ),
    ]
