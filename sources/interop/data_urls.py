"""/data/: the open data downloads (``sources.interop.dumps``)."""

from django.urls import path

from . import dumps

urlpatterns = [
    path("", dumps.DataIndexView.as_view(), name="data"),
    path("datapackage.json", dumps.datapackage_view, name="data-package"),
    path("<str:name>", dumps.download, name="data-file"),
]
