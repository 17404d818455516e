"""Scans (issue 14): page images of documents, their derivatives (thumbnail, web size,
IIIF Image API level 0 tiles), the IIIF Presentation 3 manifest, and the views that
serve them only when the document is public. See docs/scans.md."""
