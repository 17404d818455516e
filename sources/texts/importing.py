"""Further texts in the importer's YAML header (issue 14)::

    texts:
      - file: decree.ru.txt        # relative to the file with the header
        language: ru
        kind: original             # original or translation (the default)
        translator: ""             # optional
        source: "RGASPI, f. 558, op. 11, d. 99"   # optional: where this text comes from

Read and checked with the rest of the header, before anything is written
(``sources.curation.importer``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..models import DocumentText, Language, TextKind
from ..models.documents import MAX_TEXT_BYTES, text_too_long

KEY = "texts"
ENTRY_KEYS = {"file", "language", "kind", "translator", "source"}


@dataclass(frozen=True)
class TextSpec:
    path: Path
    language: str
    kind: str
    translator: str
    source_note: str
    text: str

    def build(self, order: int) -> DocumentText:
        return DocumentText(
            language=self.language,
            kind=self.kind,
            translator=self.translator,
            source_note=self.source_note,
            text=self.text,
            order=order,
        )


def parse_texts(value, header_path: Path, problem: Callable[[str], None]) -> list[TextSpec]:
    """The ``texts:`` entries of one header; each problem is reported through
    ``problem`` (which names the file and the key's line)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problem("'texts' must be a list of entries with file, language and kind")
        return []
    specs: list[TextSpec] = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(value, 1):
        where = f"texts entry {number}"
        unknown = set(map(str, item)) - ENTRY_KEYS
        if unknown:
            problem(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
            continue
        values = {
            key: "" if item.get(key) is None else str(item.get(key)).strip() for key in ENTRY_KEYS
        }
        language, kind = values["language"], values["kind"] or TextKind.TRANSLATION
        if language not in Language.values:
            problem(f"{where}: language {language!r} is not one of: {', '.join(Language.values)}")
            continue
        if kind not in TextKind.values:
            problem(f"{where}: kind {kind!r} is not one of: {', '.join(TextKind.values)}")
            continue
        if (language, kind) in seen:
            problem(f"{where}: a second {language} {kind}")
            continue
        seen.add((language, kind))
        for key, limit in (("translator", 255), ("source", 500)):
            if len(values[key]) > limit:
                problem(f"{where}: {key} is longer than {limit} characters")
        name = values["file"]
        if not name:
            problem(f"{where}: 'file' is required (a path relative to this file)")
            continue
        path = Path(name)
        if path.is_absolute():
            problem(f"{where}: the file {name!r} must be given relative to this file")
            continue
        path = header_path.parent / path
        if not path.is_file():
            problem(f"{where}: no file {name!r} beside this file")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problem(f"{where}: {name!r} is not UTF-8 text")
            continue
        except OSError as error:
            problem(f"{where}: {name!r} cannot be read: {error.strerror}")
            continue
        if not text.strip():
            problem(f"{where}: {name!r} is empty")
            continue
        size = len(text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            problem(f"{where}: {name!r}: {text_too_long(size)}")
            continue
        specs.append(TextSpec(path, language, kind, values["translator"], values["source"], text))
    return specs
