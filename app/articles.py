"""Reading articles: JSON Lines, JSON, text files with front matter, directories, stdin.

Whatever the input, an ``Article`` comes out, or an ``InputProblem`` that names the
file and line and says what is wrong; one bad record never stops the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".md")
FIELDS = ("id", "title", "text", "published", "publisher", "url", "language")
# Publication dates later than this many days after today are refused as typos.
MAX_FUTURE_DAYS = 2
# Larger inputs are read in pieces so memory stays bounded: JSON Lines line by line, a
# long text in parts of about PART_CHARS characters cut at paragraph ends, each part an
# article of its own ("<id>#part-N") with the same metadata. A single JSON document
# larger than this is refused (JSON Lines is the format for batches).
STREAM_BYTES = 4_000_000
PART_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    publisher: str = ""
    url: str = ""
    language: str = "en"
    origin: str = ""  # file:line it came from
    encoding: str = "utf-8"

    @property
    def document(self) -> str:
        """The string every character offset refers to: the headline (if the text does
        not already open with it), a blank line, then the text."""
        if self.title and not self.text.lstrip().startswith(self.title.strip()):
            return f"{self.title}\n\n{self.text}"
        return self.text

    def meta(self) -> dict[str, Any]:
        return {
            "article_id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class InputProblem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def stable_id(title: str, text: str) -> str:
    return "a-" + hashlib.sha1(f"{title}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """An ISO date (or datetime) -> date; raises ValueError with a plain reason."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    else:
        s = str(value).strip()
        try:
            d = dt.date.fromisoformat(s[:10])
        except ValueError:
            raise ValueError(f"published date {s!r} is not a valid ISO date (YYYY-MM-DD)") from None
        if len(s) > 10:
            try:
                dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"published date {s!r} is not a valid ISO date or datetime") from None
    today = today or dt.date.today()
    if d > today + dt.timedelta(days=MAX_FUTURE_DAYS):
        raise ValueError(f"published date {d.isoformat()} is in the future")
    if d.year < 1900:
        raise ValueError(f"published date {d.isoformat()} is before 1900")
    return d


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8, else a legacy encoding that
    charset-normalizer is confident about (cp1251, latin-1 ...)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        first_error = e
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding in (None, "utf_8") or best.chaos > 0.2:
        raise first_error
    return data.decode(best.encoding, errors="strict"), best.encoding


def _article_from(obj: Any, origin: str, line: int | None, default_published: dt.date | None,
                  encoding: str = "utf-8") -> Article | InputProblem:
    path = origin
    if not isinstance(obj, dict):
        return InputProblem(path, line, f"expected a JSON object, found {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputProblem(path, line, "no 'text' (it is required and must be a non-empty string)")
    if "\x00" in text:
        return InputProblem(path, line, "text contains NUL bytes: binary data, not an article")
    for k in ("title", "publisher", "url", "id", "language"):
        if obj.get(k) is not None and not isinstance(obj.get(k), (str, int)):
            return InputProblem(path, line, f"'{k}' must be a string")
    try:
        published = parse_date(obj.get("published")) or default_published
    except ValueError as e:
        return InputProblem(path, line, str(e))
    title = str(obj.get("title") or "").strip()
    aid = str(obj.get("id") or "").strip() or stable_id(title, text)
    return Article(
        id=aid, text=text, title=title, published=published, publisher=str(obj.get("publisher") or "").strip(),
        url=str(obj.get("url") or "").strip(), language=str(obj.get("language") or "en"),
        origin=f"{origin}:{line}" if line else origin, encoding=encoding,
    )


def _front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split '---' front matter from a text file: (fields, body, lines used)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            import yaml

            meta = yaml.safe_load("\n".join(lines[1:i])) or {}
            if not isinstance(meta, dict):
                raise ValueError("front matter is not a set of 'key: value' lines")
            return meta, "\n".join(lines[i + 1 :]), i + 1
    raise ValueError("front matter opened with '---' but never closed")


def read_text_article(name: str, text: str, default_published: dt.date | None, encoding: str) -> Article | InputProblem:
    try:
        meta, body, _ = _front_matter(text)
    except Exception as e:  # yaml.YAMLError and ours: report, never crash
        return InputProblem(name, 1, f"bad front matter: {e}")
    if "title" not in meta:
        head, _, rest = body.strip("\n").partition("\n")
        meta["title"] = head.strip()
        body = rest if rest.strip() else body
    meta["text"] = body
    return _article_from(meta, name, None, default_published, encoding)


def read_stream(name: str, data: bytes, default_published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Articles from one file's bytes; ``name`` decides the format by its suffix."""
    if not data.strip():
        yield InputProblem(name, None, "empty file")
        return
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield InputProblem(name, None, "binary data, not text")
        return
    try:
        text, encoding = decode_bytes(data)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        yield InputProblem(name, line, f"not UTF-8 and no legacy encoding fits (byte 0x{data[e.start]:02x})")
        return
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")) or (lower == "<stdin>" and text.lstrip().startswith("{") and "\n{" in text):
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield InputProblem(name, n, f"malformed JSON: {e.msg} at column {e.colno}")
                continue
            yield _article_from(obj, name, n, default_published, encoding)
        return
    if lower.endswith(".json") or (lower == "<stdin>" and text.lstrip().startswith(("{", "["))):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield InputProblem(name, e.lineno, f"malformed JSON: {e.msg} at column {e.colno}")
            return
        items = obj if isinstance(obj, list) else [obj]
        for i, item in enumerate(items):
            art = _article_from(item, name, None, default_published, encoding)
            if isinstance(art, InputProblem) and len(items) > 1:
                art = replace(art, message=f"item {i}: {art.message}")
            elif isinstance(art, Article) and len(items) > 1:
                art = replace(art, origin=f"{name}[{i}]")
            yield art
        return
    yield read_text_article(name, text, default_published, encoding)


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path | str]:
    for inp in inputs:
        if str(inp) == "-":
            yield "-"
            continue
        p = Path(inp)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in ARTICLE_SUFFIXES
                              and not q.name.startswith(".") and q.name.lower() != "readme.md")
        else:
            yield p


def _stream_jsonl(path: Path, default_published: dt.date | None) -> Iterator[Article | InputProblem]:
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                line, enc = decode_bytes(raw)
            except UnicodeDecodeError:
                yield InputProblem(str(path), n, "not UTF-8 and no legacy encoding fits")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield InputProblem(str(path), n, f"malformed JSON: {e.msg} at column {e.colno}")
                continue
            yield _article_from(obj, str(path), n, default_published, enc)


def _stream_text(path: Path, default_published: dt.date | None) -> Iterator[Article | InputProblem]:
    """A long text in parts cut at paragraph ends; never more than ~2 parts in memory."""
    head = path.open("rb").read(65536)
    if b"\x00" in head:
        yield InputProblem(str(path), None, "binary data, not text")
        return
    try:
        _, enc = decode_bytes(head[: head.rfind(b"\n") + 1] or head)
    except UnicodeDecodeError as e:
        yield InputProblem(str(path), head.count(b"\n", 0, e.start) + 1, "not UTF-8 and no legacy encoding fits")
        return
    first: Article | InputProblem | None = None
    buf, part, line_no = "", 0, 0
    with path.open("r", encoding=enc if enc != "utf-8" else "utf-8-sig", errors="strict", newline="") as f:
        while True:
            try:
                block = f.read(PART_CHARS)
            except UnicodeDecodeError:
                yield InputProblem(str(path), line_no + 1, "not valid text in its encoding past this line")
                return
            buf += block
            while len(buf) > PART_CHARS or (not block and buf.strip()):
                cut = buf.rfind("\n\n", 0, PART_CHARS) if len(buf) > PART_CHARS else len(buf)
                if cut <= 0:
                    cut = buf.rfind("\n", 0, PART_CHARS) if len(buf) > PART_CHARS else len(buf)
                if cut <= 0:
                    cut = min(len(buf), PART_CHARS)
                chunk, buf = buf[:cut], buf[cut:]
                line_no += chunk.count("\n")
                if not chunk.strip():
                    continue
                part += 1
                if first is None:
                    first = read_text_article(str(path), chunk, default_published, enc)
                    if isinstance(first, InputProblem):
                        yield first
                        return
                    art = replace(first, id=f"{first.id}#part-1", origin=f"{path}#part-1")
                else:
                    art = replace(first, id=f"{first.id}#part-{part}", text=chunk, origin=f"{path}#part-{part}")
                yield art
            if not block:
                return


def read_inputs(inputs: Iterable[str | Path], default_published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Every article (or problem) from files, directories and '-' (stdin)."""
    for p in iter_paths(inputs):
        if p == "-":
            yield from read_stream("<stdin>", sys.stdin.buffer.read(), default_published)
            continue
        if not p.exists():
            yield InputProblem(str(p), None, "no such file or directory")
            continue
        try:
            size = p.stat().st_size
            if size > STREAM_BYTES:
                suffix = p.suffix.lower()
                if suffix in (".jsonl", ".ndjson"):
                    yield from _stream_jsonl(p, default_published)
                elif suffix == ".json":
                    yield InputProblem(str(p), None, f"a single JSON document of {size / 1e6:.0f} MB is too large "
                                                     f"(limit {STREAM_BYTES / 1e6:.0f} MB): write batches as JSON Lines")
                else:
                    yield from _stream_text(p, default_published)
                continue
            data = p.read_bytes()
        except OSError as e:
            yield InputProblem(str(p), None, f"cannot read: {e.strerror}")
            continue
        yield from read_stream(str(p), data, default_published)
