"""OAI-PMH 2.0 at /oai/: every published document in ``oai_dc``, sets by document type
and by source kind, withdrawn documents as deleted records (``deletedRecord:
persistent``). The responses validate against the schemas in ``interop/schemas/``."""
