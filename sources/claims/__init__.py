"""Sources that disagree, side by side (issue 15, part 2).

Claims (``sources.models.claims``) are what one source says about a record or a
document, in its words. This package groups them into points and decides where the
sources agree (``points``), and owns the list of every contested point of the
archive (``views``: ``/disagreements/``). The reading pages show a subject's points
through ``points.points_about``; the admin is ``sources.curation.admin.claims``; the
corpus check of quoted passages is ``checks``.

It imports models, text, paging and caching only, so the reading pages, the curation
and the API may all import it.
"""
