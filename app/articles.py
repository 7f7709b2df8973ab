"""Reading articles: JSON Lines, JSON, text files with front matter, directories, stdin.

Whatever the input, an ``Article`` comes out, or an ``InputProblem`` that names the
file and line and says what is wrong; one bad record never stops the rest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

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
# One JSON Lines record (one line) may hold at most this many bytes; a longer line is refused
# without being read whole. A record's text longer than STREAM_BYTES characters is ingested in
# parts like a long text file.
MAX_RECORD_BYTES = 32_000_000
# Front matter: at most this many characters, nested at most this deep, and no YAML aliases
# ("*name"), so a few hundred bytes cannot expand into gigabytes.
MAX_FRONT_MATTER_CHARS = 64_000
MAX_FRONT_MATTER_DEPTH = 8
# A JSON integer longer than this is no id or count: it is read as a float (infinity), which no
# field accepts, instead of failing on Python's 4,300-digit limit for int().
MAX_JSON_INT_DIGITS = 100
_HEAD_BYTES = 65536  # what a streamed input's format and encoding are decided from
_SURROGATE = re.compile("[\ud800-\udfff]")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


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


@dataclass(frozen=True, slots=True)
class InputProblem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def stable_id(title: str, text: str) -> str:
    return "a-" + hashlib.sha1(f"{title}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clean_text(s: str) -> str:
    """A string that can be stored: lone surrogates (from JSON escapes such as "\\udc00", which
    UTF-8 cannot encode) become U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


def reason(e: BaseException) -> str:
    """An exception as one short line, for a message that names the input it came from."""
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text[:200]}" if text else type(e).__name__


def _json_int(literal: str) -> int | float:
    return int(literal) if len(literal.lstrip("-")) <= MAX_JSON_INT_DIGITS else float(literal)


def json_loads(text: str | bytes) -> Any:
    """``json.loads`` with limits: integers over MAX_JSON_INT_DIGITS digits become floats, and nesting
    deeper than the interpreter's recursion limit (about 1,000 levels) is a ValueError, not a crash."""
    try:
        return json.loads(text, parse_int=_json_int)
    except RecursionError:
        raise ValueError("JSON nested too deeply (more than about 1,000 levels)") from None


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """An ISO date (or datetime) -> date; raises ValueError with a plain reason. Only a string, a
    number or a date can be one: a list or mapping (from YAML or JSON) is refused unread."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    elif not isinstance(value, (str, int, float)):
        raise ValueError(f"published date must be a date (YYYY-MM-DD), not a {type(value).__name__}")
    else:
        s = (value if isinstance(value, str) else str(value))[:1000].strip()
        shown = repr(s) if len(s) <= 40 else repr(s[:40]) + "..."
        try:
            d = dt.date.fromisoformat(s[:10])
        except ValueError:
            raise ValueError(f"published date {shown} is not a valid ISO date (YYYY-MM-DD)") from None
        if len(s) > 10:
            try:
                dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"published date {shown} is not a valid ISO date or datetime") from None
    today = today or dt.date.today()
    if d > today + dt.timedelta(days=MAX_FUTURE_DAYS):
        raise ValueError(f"published date {d.isoformat()} is in the future")
    if d.year < 1900:
        raise ValueError(f"published date {d.isoformat()} is before 1900")
    return d


def bom_encoding(head: bytes) -> str | None:
    """'utf-16' or 'utf-32' when the bytes open with that byte-order mark."""
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the opening bytes, unless a UTF-16/32 byte-order mark explains them."""
    return b"\x00" in head and bom_encoding(head) is None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-16/32 with a byte-order mark, UTF-8, else a legacy
    encoding that charset-normalizer is confident about (cp1251, latin-1 ...)."""
    bom = bom_encoding(data)
    if bom:
        return data.decode(bom), bom
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        first_error = e
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding in (None, "utf_8") or best.chaos > 0.2:
        raise first_error
    return data.decode(best.encoding, errors="strict"), best.encoding


def article_from(obj: Any, origin: str, line: int | None, default_published: dt.date | None,
                 encoding: str = "utf-8") -> Article | InputProblem:
    """The article a record describes, or the problem with it; never raises."""
    try:
        return _checked_article(obj, origin, line, default_published, encoding)
    except Exception as e:  # noqa: BLE001 - one odd record is reported, never fatal
        return InputProblem(origin, line, f"unreadable record ({reason(e)})")


def _checked_article(obj: Any, path: str, line: int | None, default_published: dt.date | None,
                     encoding: str) -> Article | InputProblem:
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
    text = clean_text(text)
    title = clean_text(str(obj.get("title") or "").strip())
    aid = clean_text(str(obj.get("id") or "").strip()) or stable_id(title, text)
    return Article(
        id=aid, text=text, title=title, published=published,
        publisher=clean_text(str(obj.get("publisher") or "").strip()),
        url=clean_text(str(obj.get("url") or "").strip()), language=clean_text(str(obj.get("language") or "en")),
        origin=f"{path}:{line}" if line else path, encoding=encoding,
    )


def _record_articles(obj: Any, name: str, line: int | None, default_published: dt.date | None,
                     encoding: str = "utf-8") -> Iterator[Article | InputProblem]:
    """A JSON record's article; one whose text is longer than STREAM_BYTES characters comes in parts
    ("<id>#part-N", each with the record's metadata), so its size does not decide the memory used."""
    art = article_from(obj, name, line, default_published, encoding)
    if isinstance(art, InputProblem) or len(art.text) <= STREAM_BYTES:
        yield art
        return
    parts = _cut_parts(art.text[i : i + PART_CHARS] for i in range(0, len(art.text), PART_CHARS))
    for n, chunk in enumerate((c for c in parts if c.strip()), start=1):
        yield replace(art, id=f"{art.id}#part-{n}", text=chunk, origin=f"{art.origin}#part-{n}")


@lru_cache(maxsize=1)
def _front_matter_loader() -> type:
    """A YAML SafeLoader that refuses aliases and nesting deeper than MAX_FRONT_MATTER_DEPTH (built on
    first use: PyYAML is imported lazily)."""
    import yaml
    from yaml.composer import ComposerError

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise ComposerError(None, None, "aliases (*name) are not allowed in front matter",
                                    self.peek_event().start_mark)
            if self.depth >= MAX_FRONT_MATTER_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_FRONT_MATTER_DEPTH} levels deep",
                                    self.peek_event().start_mark)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def _front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split '---' front matter from a text file: (fields, body, lines used). Front matter is read
    without alias expansion, at most MAX_FRONT_MATTER_CHARS long and MAX_FRONT_MATTER_DEPTH deep."""
    opened = text.find("\n")
    if (text if opened == -1 else text[:opened]).strip() != "---":
        return {}, text, 0
    pos, n = opened + 1, 1
    while opened != -1:
        end = text.find("\n", pos)
        n += 1
        if text[pos : end if end != -1 else len(text)].strip() == "---":
            loader = _front_matter_loader()(text[opened + 1 : pos])
            try:
                meta = loader.get_single_data() or {}
            finally:
                loader.dispose()
            if not isinstance(meta, dict):
                raise ValueError("front matter is not a set of 'key: value' lines")
            return meta, text[end + 1 :] if end != -1 else "", n
        if end == -1:
            break
        pos = end + 1
        if pos > MAX_FRONT_MATTER_CHARS:
            raise ValueError(f"front matter not closed within {MAX_FRONT_MATTER_CHARS:,} characters")
    raise ValueError("front matter opened with '---' but never closed")


def read_text_article(name: str, text: str, default_published: dt.date | None, encoding: str) -> Article | InputProblem:
    try:
        meta, body, _ = _front_matter(text)
    except Exception as e:  # noqa: BLE001 - yaml.YAMLError and ours: report, never crash
        return InputProblem(name, 1, f"bad front matter: {' '.join(str(e).split())[:300]}")
    if "title" not in meta:
        head, _, rest = body.strip("\n").partition("\n")
        meta["title"] = head.strip()
        body = rest if rest.strip() else body
    meta["text"] = body
    return article_from(meta, name, None, default_published, encoding)


def _cut_parts(blocks: Iterable[str]) -> Iterator[str]:
    """The text of ``blocks`` re-cut into parts of at most PART_CHARS characters, at a paragraph end
    where there is one (else a line end, else anywhere); never more than about two parts held."""
    buf = ""
    for block in blocks:
        buf += block
        while len(buf) > PART_CHARS:
            cut = buf.rfind("\n\n", 0, PART_CHARS)
            if cut <= 0:
                cut = buf.rfind("\n", 0, PART_CHARS)
            if cut <= 0:
                cut = PART_CHARS
            yield buf[:cut]
            buf = buf[cut:]
    if buf:
        yield buf


def _text_articles(name: str, blocks: Iterable[str], default_published: dt.date | None,
                   encoding: str) -> Iterator[Article | InputProblem]:
    """A long text as articles "<id>#part-N": the first part gives the front matter or headline,
    and every part the same metadata."""
    first: Article | None = None
    for n, chunk in enumerate((c for c in _cut_parts(blocks) if c.strip()), start=1):
        if first is None:
            art = read_text_article(name, chunk, default_published, encoding)
            if isinstance(art, InputProblem):
                yield art
                return
            first = art
            yield replace(first, id=f"{first.id}#part-1", origin=f"{name}#part-1")
        else:
            yield replace(first, id=f"{first.id}#part-{n}", text=chunk, origin=f"{name}#part-{n}")


def read_stream(name: str, data: bytes, default_published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Articles from one file's bytes; ``name`` decides the format by its suffix. Never raises: an
    unexpected error ends this input with a problem that names it."""
    yield from _guarded(name, _read_bytes(name, data, default_published))


def _read_bytes(name: str, data: bytes, default_published: dt.date | None) -> Iterator[Article | InputProblem]:
    if not data.strip():
        yield InputProblem(name, None, "empty file")
        return
    if looks_binary(data[:8192]):
        yield InputProblem(name, None, "binary data, not text")
        return
    try:
        text, encoding = decode_bytes(data)
    except UnicodeDecodeError as e:
        at = data.count(b"\n", 0, e.start) + 1
        yield InputProblem(name, at, f"not UTF-8 and no legacy encoding fits (byte 0x{data[e.start]:02x})")
        return
    lower = name.lower()
    looks_jsonl = lower == "<stdin>" and text.lstrip().startswith("{") and "\n{" in text
    if lower.endswith((".jsonl", ".ndjson")) or looks_jsonl:
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            obj = _json_record(name, n, line)
            yield from [obj] if isinstance(obj, InputProblem) else _record_articles(obj, name, n, default_published,
                                                                                   encoding)
        return
    if lower.endswith(".json") or (lower == "<stdin>" and text.lstrip().startswith(("{", "["))):
        if len(data) > STREAM_BYTES:
            yield _too_large(name, len(data))
            return
        obj = _json_record(name, None, text)
        if isinstance(obj, InputProblem):
            yield obj
            return
        items = obj if isinstance(obj, list) else [obj]
        for i, item in enumerate(items):
            for art in _record_articles(item, name, None, default_published, encoding):
                if isinstance(art, InputProblem) and len(items) > 1:
                    art = replace(art, message=f"item {i}: {art.message}")
                elif isinstance(art, Article) and len(items) > 1:
                    art = replace(art, origin=art.origin.replace(name, f"{name}[{i}]", 1))
                yield art
        return
    if len(text) > STREAM_BYTES:
        yield from _text_articles(name, (text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)),
                                  default_published, encoding)
        return
    yield read_text_article(name, text, default_published, encoding)


def _too_large(name: str, size: int | None) -> InputProblem:
    what = f"of {size / 1e6:.0f} MB" if size else f"over {STREAM_BYTES / 1e6:.0f} MB"
    return InputProblem(name, None, f"a single JSON document {what} is too large "
                                    f"(limit {STREAM_BYTES / 1e6:.0f} MB): write batches as JSON Lines")


def _json_record(name: str, n: int | None, line: str) -> Any:
    """The value JSON Lines line ``n`` (or a whole JSON document, n None) holds, or the problem with it."""
    try:
        return json_loads(line)
    except json.JSONDecodeError as e:
        return InputProblem(name, n or e.lineno, f"malformed JSON: {e.msg} at column {e.colno}")
    except ValueError as e:
        return InputProblem(name, n, str(e))


def _guarded(name: str, items: Iterator[Article | InputProblem]) -> Iterator[Article | InputProblem]:
    """``items`` passed through; an unexpected error ends this one input with a problem naming it,
    and the batch goes on with the next."""
    try:
        yield from items
    except Exception as e:  # noqa: BLE001 - a reader bug or an odd input must not stop the batch
        yield InputProblem(name, None, f"could not be read past this point ({reason(e)})")


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


def _stream_jsonl(name: str, f: IO[bytes], default_published: dt.date | None,
                  first_line: int = 1) -> Iterator[Article | InputProblem]:
    """JSON Lines read line by line: memory holds one record, whatever the input's size. A line is
    read at most MAX_RECORD_BYTES at a time (a longer one is skipped to its end), and its bytes and
    text are let go once parsed, so a large record is held once, as its parsed text."""
    n = first_line - 1
    while raw := f.readline(MAX_RECORD_BYTES + 1):
        n += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield InputProblem(name, n, f"a JSON Lines record over {MAX_RECORD_BYTES / 1e6:.0f} MB is refused "
                                        "(give a long text as a .txt file: it is read in parts)")
            continue
        if not raw.strip():
            continue
        try:
            line, enc = decode_bytes(raw)
        except UnicodeDecodeError:
            yield InputProblem(name, n, "not UTF-8 and no legacy encoding fits")
            continue
        del raw
        obj = _json_record(name, n, line)
        del line
        yield from [obj] if isinstance(obj, InputProblem) else _record_articles(obj, name, n, default_published, enc)


def _stream_text(name: str, f: IO[bytes], default_published: dt.date | None) -> Iterator[Article | InputProblem]:
    """A long text in parts cut at paragraph ends; never more than ~2 parts in memory."""
    head = f.read(_HEAD_BYTES)
    if looks_binary(head):
        yield InputProblem(name, None, "binary data, not text")
        return
    enc = bom_encoding(head)
    if enc is None:
        try:
            _, enc = decode_bytes(head[: head.rfind(b"\n") + 1] or head)
        except UnicodeDecodeError as e:
            yield InputProblem(name, head.count(b"\n", 0, e.start) + 1, "not UTF-8 and no legacy encoding fits")
            return
    decoder = codecs.getincrementaldecoder("utf-8-sig" if enc == "utf-8" else enc)(errors="strict")
    failed: list[InputProblem] = []

    def blocks() -> Iterator[str]:
        data, lines = head, 0
        try:
            while data:
                text = decoder.decode(data)
                lines += text.count("\n")
                yield text
                data = f.read(PART_CHARS)
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            failed.append(InputProblem(name, lines + 1, "not valid text in its encoding past this line"))

    yield from _text_articles(name, blocks(), default_published, enc)
    yield from failed


class _Prefixed(io.RawIOBase):
    """``head`` (bytes already read) followed by the rest of ``rest``: a stream read once, re-read."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self.head, self.at, self.rest = memoryview(head), 0, rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self.at < len(self.head):
            n = min(len(b), len(self.head) - self.at)
            b[:n] = self.head[self.at : self.at + n]
            self.at += n
            return n
        data = self.rest.read1(len(b)) if hasattr(self.rest, "read1") else self.rest.read(len(b))
        b[: len(data)] = data
        return len(data)


def read_stdin(f: IO[bytes], default_published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Standard input, streamed like a file: JSON Lines (a first line that is one '{...}') record by
    record as they arrive, a long text in parts; small inputs are read whole and judged as before."""
    name = "<stdin>"
    first, skipped = b"", 0
    while not first.strip():
        first = f.readline(MAX_RECORD_BYTES + 1)
        if not first:
            yield InputProblem(name, None, "empty file")
            return
        skipped += 1 if not first.strip() else 0
    if first.lstrip()[:1] == b"{" and first.rstrip()[-1:] == b"}":
        yield from _stream_jsonl(name, io.BufferedReader(_Prefixed(first, f), 1 << 20), default_published, skipped + 1)
        return
    data = first + f.read(STREAM_BYTES + 1 - len(first)) if len(first) <= STREAM_BYTES else first
    if len(data) <= STREAM_BYTES:
        yield from read_stream(name, data, default_published)
    elif data.lstrip()[:1] in (b"{", b"["):
        yield _too_large(name, None)  # the rest is not read
    else:
        yield from _guarded(name, _stream_text(name, io.BufferedReader(_Prefixed(data, f), 1 << 20), default_published))


def read_inputs(inputs: Iterable[str | Path],
                default_published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Every article (or problem) from files, directories and '-' (stdin). Never raises: an input
    that fails unexpectedly is reported by name, and the next one is read."""
    for p in iter_paths(inputs):
        if isinstance(p, str):  # "-": standard input
            yield from _guarded("<stdin>", read_stdin(sys.stdin.buffer, default_published))
            continue
        if not p.exists():
            yield InputProblem(str(p), None, "no such file or directory")
            continue
        try:
            size = p.stat().st_size
            if size > STREAM_BYTES:
                suffix = p.suffix.lower()
                if suffix == ".json":
                    yield _too_large(str(p), size)
                    continue
                with p.open("rb") as f:
                    stream = _stream_jsonl if suffix in (".jsonl", ".ndjson") else _stream_text
                    yield from _guarded(str(p), stream(str(p), f, default_published))
                continue
            data = p.read_bytes()
        except OSError as e:
            yield InputProblem(str(p), None, f"cannot read: {e.strerror}")
            continue
        yield from read_stream(str(p), data, default_published)
