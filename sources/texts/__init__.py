"""Texts in more than one language (issue 14): a document's further texts beside its
primary transcription. ``languages`` (pure) says which search configuration reads each
language; ``reading`` prepares the texts for the document page. The model is
``sources.models.texts``."""
