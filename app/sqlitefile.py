"""SQLite URIs for paths with any characters in them.

``f"file:{path}?mode=ro"`` breaks as soon as a folder name holds ``#``, ``?`` or ``%``
(SQLite reads the rest as the query or a fragment, opens another file and creates it);
every ``file:`` URI the app makes comes from here, percent-quoted.
"""

from __future__ import annotations

from pathlib import Path


def sqlite_uri(path: str | Path, mode: str = "ro", **params: str | int) -> str:
    """A ``file:`` URI for ``path`` (made absolute, every special character quoted) with ``?mode=``
    and any other parameters (``immutable=1``)."""
    query = "&".join([f"mode={mode}", *(f"{k}={v}" for k, v in params.items())])
    return f"{Path(path).absolute().as_uri()}?{query}"
