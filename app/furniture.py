"""Lines of a page that are not the report: captions and credits, page furniture, and the
headlines of other stories listed under "Related articles". Neither geoparsing's sense of what
country a text is about nor incident extraction reads them as the report's own words."""

from __future__ import annotations

from .lang.en.furniture import BOILERPLATE, CAPTION_LINE, CREDIT_LINE, RELATED_HEADING, SENTENCE_END


def is_boilerplate(low: str) -> bool:
    """A sentence of page furniture ("Read more: ...", "Share this"), given lower-cased."""
    return bool(BOILERPLATE.match(low))


def furniture_spans(doc: str) -> list[tuple[int, int]]:
    """Lines that tell no event of the report: captions and credits, and the headlines of other
    stories listed under "Related articles", "Read more", "More from" (up to the first line that
    ends a sentence)."""
    out, pos, links = [], 0, False
    last: tuple[int, int] | None = None  # the last line with words, and where it is
    for line in doc.split("\n"):
        bare = line.strip()
        if RELATED_HEADING.match(bare):
            links = True
        elif links and bare and bare[-1] in ".!?\"”":
            links = False  # prose again: the list of links is over
        # a caption's marks are at its ends
        if links or CAPTION_LINE.search(line[:200]) or CAPTION_LINE.search(line[-200:]):
            out.append((pos, pos + len(line)))
            if CREDIT_LINE.match(bare) and last is not None and (not out[:-1] or out[-2] != last):
                # "Photo credit: ..." on a line of its own credits the picture described just above it
                a, b = last
                if b - a <= 400 and len(SENTENCE_END.findall(doc[a:b])) <= 2:
                    out.insert(len(out) - 1, last)
        if bare:
            last = (pos, pos + len(line))
        pos += len(line) + 1
    return out
