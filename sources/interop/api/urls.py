"""/api/v1/…: each record's API address mirrors its page's (/documents/<slug>/ →
/api/v1/documents/<slug>/), from the same slug. A slug is any text here, so a
malformed one gets the API's JSON 404 rather than the site's HTML page. /api/schema/
and /api/docs/ describe it."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from ...models.entities import KIND_PATHS
from . import claims, connections, views

app_name = "api"

urlpatterns = [
    path("v1/", views.ApiRootView.as_view(), name="root"),
    path("v1/documents/", views.DocumentListView.as_view(), name="document-list"),
    path("v1/documents/<str:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("v1/mentions/", views.MentionListView.as_view(), name="mention-list"),
    path("v1/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("v1/connections/", connections.ConnectionView.as_view(), name="connections"),
    path("v1/claims/", claims.ClaimListView.as_view(), name="claim-list"),
    path("v1/disagreements/", claims.DisagreementListView.as_view(), name="disagreement-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
]
for kind, plural in KIND_PATHS.items():
    list_view, detail_view = views.entity_views(kind)
    urlpatterns += [
        path(f"v1/{plural}/", list_view.as_view(), name=f"{kind}-list"),
        path(f"v1/{plural}/<str:slug>/", detail_view.as_view(), name=f"{kind}-detail"),
    ]

# Anything else under /api/ is a JSON 404, as a program expects, not the site's HTML page.
urlpatterns.append(re_path(r"^.*$", views.not_found))
