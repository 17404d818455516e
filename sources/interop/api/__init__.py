"""The read-only JSON API at /api/v1/ (Django REST framework, schema by drf-spectacular).

Only published documents, and mentions in them, are served; records (people, places,
organizations, events) are public as on their pages. The document list takes the
document list's filters and the search's ``q``, through the same code
(``sources.search.filters`` and the ``Search`` facade). A value the API cannot use is a
400 with a message, never a guess and never a 500.
"""
