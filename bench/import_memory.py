"""python -m bench.import_memory [--mb 60]: peak memory of ``python -m app gazetteer import``.

Generates (fixed seed) a GeoNames dump of valid rows in the format ``gazetteer import``
accepts (19 tab-separated columns, populated places, P.PPL, with alternate names) of the
given size, imports it into a fresh user gazetteer in a child process, and prints the
child's own peak resident memory (VmHWM, read by the child itself: Linux keeps
``ru_maxrss`` across exec, which would report this process's peak). See BENCHMARKS.md,
"Reliability, round two (issue 17): memory".

``--root DIR`` runs the import with another checkout's ``app`` (to measure before a change).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "ra", "bu", "lak", "tsa", "gha", "va", "nik", "dor", "me", "shan", "ol", "ya", "zor", "ti", "kend"]
COUNTRIES = ["AZ", "AM", "UA", "SY", "ML", "SD", "SO", "CD", "MM", "YE", "LY", "IQ"]
CHILD = (
    "import sys, time\n"
    "from app.cli import main\n"
    "t = time.perf_counter()\n"
    "rc = main(sys.argv[1:])\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
    "print('BENCH', rc, int(hwm) // 1024, round(time.perf_counter() - t, 1), file=sys.stderr)\n"
)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def geonames_dump(path: Path, megabytes: float, seed: int = 17) -> int:
    """Write a GeoNames-format dump of about ``megabytes`` MB; returns the number of rows."""
    rng = random.Random(seed)
    limit = int(megabytes * 1_000_000)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        while f.tell() < limit:
            n += 1
            name = _name(rng)
            alts = ",".join(dict.fromkeys(_name(rng) for _ in range(rng.randint(0, 8))))
            lat, lon = rng.uniform(-55, 70), rng.uniform(-170, 170)
            f.write("\t".join([
                str(20_000_000 + n), name, name, alts, f"{lat:.5f}", f"{lon:.5f}", "P", "PPL", rng.choice(COUNTRIES),
                "", "01", "", "", "", str(rng.randint(0, 50_000)), "", str(rng.randint(0, 3000)), "Asia/Baku",
                "2024-01-01",
            ]) + "\n")
    return n


def measure(dump: Path, root: Path = ROOT) -> dict:
    """Import ``dump`` into a fresh user gazetteer in a child process; its peak RSS and time."""
    with tempfile.TemporaryDirectory(prefix="import-memory-") as td:
        r = subprocess.run([sys.executable, "-c", CHILD, "gazetteer", "import", str(dump),
                            "--user-db", str(Path(td) / "user.sqlite")],
                           cwd=root, capture_output=True, text=True, timeout=3600)
    line = [x for x in r.stderr.splitlines() if x.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"the import did not finish:\n{r.stderr[-2000:]}")
    _, rc, peak, secs = line[-1].split()
    return {"exit_status": int(rc), "peak_rss_mb": int(peak), "seconds": float(secs), "stdout": r.stdout.strip()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.import_memory", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=60.0, help="size of the generated dump in MB (default 60)")
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout whose app is measured (default this one)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="import-memory-dump-") as td:
        dump = Path(td) / "XX.txt"
        t = time.perf_counter()
        rows = geonames_dump(dump, args.mb)
        size = dump.stat().st_size
        res = {"file_mb": round(size / 1e6, 1), "rows": rows, "generate_s": round(time.perf_counter() - t, 1)}
        res.update(measure(dump, args.root))
    res["rss_per_file_byte"] = round(res["peak_rss_mb"] / res["file_mb"], 1)
    print(json.dumps(res, indent=2))
    return 0 if res["exit_status"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
