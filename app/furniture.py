"""Lines of a page that are not the report: captions and credits, page furniture, and the
headlines of other stories listed under "Related articles". Neither geoparsing's sense of what
country a text is about nor incident extraction reads them as the report's own words."""

from __future__ import annotations

from .lang.en.furniture import BOILERPLATE, CAPTION_LINE, RELATED_HEADING


def is_boilerplate(low: str) -> bool:
    """A sentence of page furniture ("Read more: ...", "Share this"), given lower-cased."""
    return bool(BOILERPLATE.match(low))


def furniture_spans(doc: str) -> list[tuple[int, int]]:
    """Lines that tell no event of the report: captions and credits, and the headlines of other
    stories listed under "Related articles", "Read more", "More from" (up to the first line that
    ends a sentence)."""
    out, pos, links = [], 0, False
    for line in doc.split("\n"):
        bare = line.strip()
        if RELATED_HEADING.match(bare):
            links = True
        elif links and bare and bare[-1] in ".!?\"”":
            links = False  # prose again: the list of links is over
        if links or CAPTION_LINE.search(line[:200]) or CAPTION_LINE.search(line[-200:]):  # a caption's marks are at its ends
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out
