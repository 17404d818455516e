"""``/disagreements/``: every contested point of the archive, page by page."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from .. import caching
from ..paging import paginate
from . import points


class DisagreementsView(TemplateView):
    """Each point on which the archive's sources disagree: its subject, what is
    claimed, and the competing claims with their citations."""

    template_name = "sources/disagreements.html"
    per_page = 20
    cache_params = ("page",)
    # Any claim, record or document change may add or settle a disagreement.
    cache_depends_on = (caching.LISTS,)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        keys = points.sort_keys(points.contested_keys())
        paginator, page, notice = paginate(self.request, keys, self.per_page)
        context.update(
            points=points.contested_points(list(page.object_list)),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            total=paginator.count,
            notices=[notice] if notice else [],
        )
        return context
