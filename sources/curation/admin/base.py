"""What every admin page of the archive shares."""

from __future__ import annotations

from django.contrib import admin

from ...text import fold

admin.site.site_header = "Azerbaijan Crisis Archive — curation"
admin.site.site_title = "Archive curation"
admin.site.index_title = "Sources and records"


class FoldedSearchMixin:
    """Admin search that also matches folded names: "Bağırov" finds Bagirov."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            results |= queryset.filter(search_names__contains=folded)
        return results, may_have_duplicates
