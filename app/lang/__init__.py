"""Language packages: the word lists and rule tables of one language, each in a folder of its own
(``app/lang/en``). Today the extractor applies the English tables; a language whose tables it
applies is listed in WIRED. Text in any other language is read with the English tables, and
incident extraction says so in its notes and its log."""

from __future__ import annotations

import re

DEFAULT = "en"
WIRED = ("en",)


def supported(language: str) -> bool:
    """'en', 'en-GB', 'en_US': yes; 'uk', 'fr': not yet."""
    return re.split(r"[-_]", (language or DEFAULT).lower())[0] in WIRED
