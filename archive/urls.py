from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("", include("sources.interop.urls")),
    path("api/", include("sources.interop.api.urls")),
    path("oai/", include("sources.interop.oai.urls")),
    path("data/", include("sources.interop.data_urls")),
    path("", include("sources.scans.urls")),
    path("", include("sources.urls")),
]
