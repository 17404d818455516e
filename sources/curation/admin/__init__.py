"""The curators' workplace: every record type with the columns, filters and search (by
any name variant, folded as the public search folds) a curator needs all day;
autocomplete pickers; inlines; the publication workflow as permissioned actions; the
mention finder's proposals to accept or reject; and every change kept in history.

One module per area; importing this package registers them all (``SourcesConfig.ready``).
"""

from . import base, claims, documents, links, placenames, records, review, texts  # noqa: F401 - each registers its pages
