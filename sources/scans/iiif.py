"""The IIIF side of the scans: Image API 3 at level 0 (info.json and the static tiles
made by ``derivatives``) and the Presentation 3 manifest of a document, built with
iiif-prezi3 (which validates it as it is built).

Addresses are absolute, from SITE_URL (``sources.interop.urls_util.absolute``), so a
manifest opened in Mirador on another site points back here."""

from __future__ import annotations

import math
import re

import iiif_prezi3 as prezi
from django.urls import reverse

from ..interop.urls_util import absolute
from ..models import Document, PageImage
from .derivatives import TILE_SIZE, advertised_sizes, scale_factors, tile_name

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
_REGION = re.compile(r"^(full|square|\d+,\d+,\d+,\d+)$")
_SIZE = re.compile(r"^(max|\^?max|\d+,|,\d+|\d+,\d+|!\d+,\d+)$")


def image_id(image: PageImage) -> str:
    """The Image API base URI of a page image (no trailing slash)."""
    url = reverse("scans:iiif-info", kwargs={"key": image.key.hex})
    return absolute(url.removesuffix("/info.json"))


def info(image: PageImage) -> dict:
    """The image's info.json (Image API 3, level 0): only what is on disk is promised."""
    sizes = advertised_sizes(image.width, image.height)
    return {
        "@context": IMAGE_CONTEXT,
        "id": image_id(image),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": image.width,
        "height": image.height,
        "sizes": [{"width": w, "height": h} for w, h in sizes],
        "tiles": [
            {
                "width": TILE_SIZE,
                "height": TILE_SIZE,
                "scaleFactors": scale_factors(image.width, image.height),
            }
        ],
        "extraFormats": [],
        "preferredFormats": ["jpg"],
    }


def tile_path(image: PageImage, region: str, size: str, rotation: str, quality: str) -> str | None:
    """The stored file answering an Image API request, or None when level 0 does not
    offer it (any region or size other than the tiles and sizes info.json lists)."""
    if rotation != "0" or quality != "default.jpg":
        return None
    if not _REGION.match(region) or not _SIZE.match(size):
        return None
    width, height = image.width, image.height
    if region == "full":
        x, y, w, h = 0, 0, width, height
    elif region == "square":
        return None
    else:
        x, y, w, h = (int(n) for n in region.split(","))
    if w <= 0 or h <= 0 or x + w > width or y + h > height:
        return None
    candidates: list[tuple[int, int]] = []
    if size in ("max", "^max"):
        candidates = [(w, h)]
    elif size.startswith("!"):
        return None
    elif size.endswith(","):
        out_w = int(size[:-1])
        exact = out_w * h / w
        candidates = [(out_w, math.ceil(exact)), (out_w, math.floor(exact)), (out_w, round(exact))]
    elif size.startswith(","):
        out_h = int(size[1:])
        exact = out_h * w / h
        candidates = [(math.ceil(exact), out_h), (math.floor(exact), out_h)]
    else:
        out_w, out_h = (int(n) for n in size.split(","))
        candidates = [(out_w, out_h)]
    for candidate in dict.fromkeys(candidates):
        if candidate[0] <= 0 or candidate[1] <= 0:
            continue
        name = tile_name(image.folder, (x, y, w, h), candidate)
        if image.original.storage.exists(name):
            return name
    return None


def _lang(text: str) -> dict[str, list[str]]:
    return {"en": [text]}


def manifest(document: Document, images: list[PageImage], citation: str) -> prezi.Manifest:
    """The document's IIIF Presentation 3 manifest: one canvas per ready page image,
    each painted with its web image and the level-0 image service."""
    manifest_id = absolute(reverse("scans:manifest", kwargs={"slug": document.slug}))
    page_url = absolute(document.get_absolute_url())
    metadata = [
        {"label": _lang("Title"), "value": _lang(document.title)},
        {"label": _lang("Date"), "value": _lang(document.date_display or "undated")},
        {"label": _lang("Citation"), "value": _lang(citation)},
    ]
    if document.repository_id:
        metadata.append(
            {"label": _lang("Holding archive"), "value": _lang(str(document.repository))}
        )
    if document.archival_reference:
        metadata.append(
            {"label": _lang("Archival reference"), "value": _lang(document.archival_reference)}
        )
    rights = document.rights or "Rights not recorded: ask the archive before reuse."
    result = prezi.Manifest(
        id=manifest_id,
        label=_lang(document.title),
        summary=_lang(document.summary) if document.summary else None,
        metadata=metadata,
        requiredStatement={"label": _lang("Rights"), "value": _lang(rights)},
        homepage=[
            {"id": page_url, "type": "Text", "label": _lang(document.title), "format": "text/html"}
        ],
    )
    for image in images:
        canvas_id = f"{manifest_id.removesuffix('manifest.json')}canvas/{image.key.hex}"
        service = image_id(image)
        web = absolute(reverse("scans:web", kwargs={"key": image.key.hex}))
        body = prezi.Resource(
            id=web,
            type="Image",
            format="image/jpeg",
            service=[{"id": service, "type": "ImageService3", "profile": "level0"}],
        )
        canvas = prezi.Canvas(
            id=canvas_id, label=_lang(image.label), width=image.width, height=image.height
        )
        if image.description:
            canvas.summary = _lang(image.description)
        canvas.items = [
            prezi.AnnotationPage(
                id=f"{canvas_id}/page",
                items=[
                    prezi.Annotation(
                        id=f"{canvas_id}/page/image",
                        motivation="painting",
                        body=body,
                        target=canvas_id,
                    )
                ],
            )
        ]
        canvas.thumbnail = [
            {
                "id": absolute(reverse("scans:thumb", kwargs={"key": image.key.hex})),
                "type": "Image",
                "format": "image/jpeg",
            }
        ]
        result.items.append(canvas)
    return result
