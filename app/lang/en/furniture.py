"""English cues for the lines of a page that are not the report: photo captions and credits,
page furniture, and lists of other stories' headlines."""

from __future__ import annotations

import re

# The heading of a list of other stories' headlines.
RELATED_HEADING = re.compile(r"(?i)(?:related(?:\s+(?:articles?|stories|news|content|posts?|coverage|reading))?|read more|"
                             r"more (?:from|on|stories|news)\b[^.!?]{0,60}|you may also like|recommended(?: for you)?|most read|"
                             r"latest (?:news|stories)|also read|see also|trending)\s*:?$")


# A photo caption or credit line: it describes a picture, often of another day, never an event.
CAPTION_LINE = re.compile(
    r"^\s*(?:caption|photo(?:\s+(?:credit|id))?|image(?:\s+info)?|picture|pictured|file\s+photo|credit|video)\s*[:|]"
    r"|\|\s*credit\b|\[image \d+ of \d+\]"
    r"|\((?:supplied|file(?: photo)?|photo[^)]{0,80}|ap photo[^)]{0,80}|reuters[^)]{0,80}|afp[^)]{0,80}|getty[^)]{0,80}|epa[^)]{0,80})\)\s*$"
    r"|\bphoto(?:\s+credit)?:\s*[^.]{2,60}$|\bcredit:\s*[^.]{2,60}\.?\s*$", re.I)

# A line of page furniture ("Read more", "Share this"): read as lower-cased text.
BOILERPLATE = re.compile(r"\s*(?:image (?:copyright|caption)|media caption|read more|please enter|related topics|share this|copyright)")

# A credit on a line of its own ("Photo credit: Kalume Kazungu | Nation Media Group"): the line above
# it is the picture's caption.
CREDIT_LINE = re.compile(r"(?i)(?:photo|image|picture)(?:\s+credit)?\s*:|credit\s*:")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
