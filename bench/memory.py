"""Peak memory of ingest on the paths issue 17 found unbounded:
python -m bench.memory [--stdin-mb 50] [--record-mb 20] [--text-mb 0]  -> a table and JSON on stdout.

Each case runs ``python -m app ingest`` in its own process into a fresh store in a temporary
folder, and reports that process's own peak resident memory (VmHWM, read by the child as it
exits: ru_maxrss would not do, since Linux carries it across exec and the probe, which builds the
inputs, can be the larger), its time and what it stored. The input is the
project's real reports (tests/reports/*/*.txt), replicated with distinct ids:

- stdin: ``ingest -`` fed that many MB of JSON Lines (goal: 50 MB under 300 MB);
- record: one JSON Lines record whose text is that many MB (ingested in parts);
- text: a .txt file of that many MB (off by default: it takes a while).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ``python -m app`` exactly, plus the process's own peak RSS on stderr as it exits.
RUN_APP = ("import runpy, sys\n"
           "try:\n    runpy.run_module('app', run_name='__main__', alter_sys=True)\n"
           "finally:\n    print('VmHWM', [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1],"
           " file=sys.stderr)")


def reports() -> list[tuple[str, str, str]]:
    """(name, text, publication date) of every real report the tests use."""
    out = []
    for txt in sorted((ROOT / "tests" / "reports").glob("*/*.txt")):
        meta = txt.with_suffix(".json")
        published = json.loads(meta.read_text(encoding="utf-8")).get("publication_date") if meta.exists() else None
        out.append((txt.stem, txt.read_text(encoding="utf-8"), published or "2023-08-09"))
    return out


def write_jsonl(path: Path, size: int) -> int:
    """JSON Lines of the reports, each copy with its own id, up to ``size`` bytes; the record count."""
    docs = reports()
    n = 0
    with path.open("w", encoding="utf-8") as f:
        while f.tell() < size:
            name, text, published = docs[n % len(docs)]
            f.write(json.dumps({"id": f"{name}-{n}", "title": text.split("\n", 1)[0], "text": text,
                                "published": published}) + "\n")
            n += 1
    return n


def long_text(size: int) -> str:
    """The reports' texts one after another, with copy numbers, up to ``size`` characters."""
    docs, parts, total, n = reports(), [], 0, 0
    while total < size:
        part = docs[n % len(docs)][1] + f"\n\n(Copy {n}.)\n\n"
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def run_ingest(args: list[str], stdin_path: Path | None, store: Path) -> dict:
    """``python -m app ingest`` in a child process: its peak RSS (MB), seconds, exit status, store counts."""
    t = time.perf_counter()
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
        p = subprocess.run([sys.executable, "-c", RUN_APP, "ingest", *args, "--store", str(store), "--quiet"],
                           stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    seconds = time.perf_counter() - t
    err = p.stderr.decode("utf-8", "replace")
    peak_kb = int(err.rsplit("VmHWM", 1)[1].split()[0])
    import sqlite3

    con = sqlite3.connect(store)
    try:
        articles, incidents = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                               for t in ("articles", "incidents"))
    finally:
        con.close()
    return {"peak_rss_mb": round(peak_kb / 1024), "seconds": round(seconds, 1), "exit": p.returncode,
            "articles": articles, "incidents": incidents,
            "summary": [line for line in err.splitlines() if line.startswith(("articles:", "incidents:", "skipped"))]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stdin-mb", type=float, default=50, help="MB of JSON Lines on stdin (0: skip)")
    ap.add_argument("--record-mb", type=float, default=20, help="MB of text in one JSON Lines record (0: skip)")
    ap.add_argument("--text-mb", type=float, default=0, help="MB of one .txt file (0: skip)")
    args = ap.parse_args(argv)
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as td:
        d = Path(td)
        if args.stdin_mb:
            src = d / "stdin.jsonl"
            records = write_jsonl(src, int(args.stdin_mb * 1e6))
            res["stdin"] = {"input_mb": round(src.stat().st_size / 1e6, 1), "records": records,
                            **run_ingest(["-"], src, d / "stdin.gpkg")}
        if args.record_mb:
            src = d / "record.jsonl"
            src.write_text(json.dumps({"id": "one-record", "title": "One long record",
                                       "text": long_text(int(args.record_mb * 1e6)), "published": "2023-08-09"}) + "\n",
                           encoding="utf-8")
            res["record"] = {"input_mb": round(src.stat().st_size / 1e6, 1),
                             **run_ingest([str(src)], None, d / "record.gpkg")}
        if args.text_mb:
            src = d / "long.txt"
            src.write_text("A very long report\n\n" + long_text(int(args.text_mb * 1e6)), encoding="utf-8")
            res["text"] = {"input_mb": round(src.stat().st_size / 1e6, 1),
                           **run_ingest([str(src)], None, d / "text.gpkg")}
    print(f"{'case':<8} {'input MB':>9} {'peak RSS MB':>12} {'seconds':>8} {'articles':>9} {'incidents':>10}  exit")
    for case, r in res.items():
        print(f"{case:<8} {r['input_mb']:>9} {r['peak_rss_mb']:>12} {r['seconds']:>8} {r['articles']:>9} "
              f"{r['incidents']:>10}  {r['exit']}")
    print(json.dumps(res, indent=1))
    return 0 if all(r["exit"] == 0 for r in res.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
