"""One store size, in its own process so that its peak memory is its own:
python -m bench.scale --n 100000 --repeat 3  -> JSON on stdout."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). ru_maxrss would not do: Linux keeps
    it across exec, so a child of a large parent reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(fn, repeat):
    ts = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from app.articles import Article
    from app.store import Store
    from app.ui import data as D
    from app.ui.mapview import MapOptions, build_map
    from bench import synth

    incs = synth.incidents(args.n)
    res: dict = {"n": args.n}
    with tempfile.TemporaryDirectory() as td:
        path = Path(td) / "s.gpkg"
        t = time.perf_counter()
        with Store(path) as s:
            for i in range(0, len(incs), 100):
                batch = incs[i : i + 100]
                s.add(Article(id=f"a{i // 100}", text=f"synthetic {i}"), batch)
        res["store_write_s"] = time.perf_counter() - t
        res["store_load_s"], df = median_time(lambda: D.load_frame(path), args.repeat)
        f = D.ViewFilters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 6, 30),
                          actors=["Military Forces of Russia", "RSF: Rapid Support Forces"])
        res["filter_ms"], view = median_time(lambda: D.apply_filters(df, f), args.repeat)
        res["filter_ms"] *= 1000
        res["filtered"] = len(view)
        def build():
            m = build_map(df, None, None, MapOptions())
            return m.get_root().render()

        res["map_build_s"], html = median_time(build, args.repeat)
        res["map_payload_mb"] = len(html.encode()) / 1e6
        from app.export import store_geojson_bytes

        def export():
            with Store(path) as s:
                return store_geojson_bytes(s)

        res["export_geojson_s"], gj = median_time(export, args.repeat)
        res["export_geojson_mb"] = len(gj) / 1e6
    res["peak_rss_mb"] = peak_rss_mb()
    json.dump(res, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
