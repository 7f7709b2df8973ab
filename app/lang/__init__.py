"""Language packages: the word lists and rule tables of one language, each in a folder of its own
(``app/lang/en``). ``supported(language)`` says whether a language has its tables; text in
another language is read with the English ones, and incident extraction says so in its notes."""

from __future__ import annotations

import importlib.util

DEFAULT = "en"


def supported(language: str) -> bool:
    code = (language or DEFAULT).split("-")[0].lower()
    return code.isalpha() and importlib.util.find_spec(f"{__name__}.{code}") is not None
