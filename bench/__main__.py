"""python -m bench [--quick]: how fast, how far it scales, and against what a user would
write instead. Writes bench/results/latest.json and prints a table. See BENCHMARKS.md.

Inputs are generated with fixed seeds (bench/synth.py). Every timing is the median of
several runs; ratios (ours / the peer's) come from the same run. The store-size runs
(1,000 / 10,000 / 100,000 incidents) each run in their own process, so the peak memory
reported for 100,000 incidents is that run's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
SCALES = (1_000, 10_000, 100_000)
GOALS = {
    "ingest_vs_peer": (">=", 1.0), "gazetteer_load_s": ("<=", 1.0), "lookup_us": ("<=", 50.0),
    "map_payload_mb": ("<=", 8.0), "map_build_s": ("<=", 2.0), "filter_ms": ("<=", 200.0),
    "export_geojson_s": ("<=", 2.0), "store_load_s": ("<=", 2.0), "peak_rss_mb": ("<=", 1500.0),
    "trnews_e2e161": (">=", 0.85), "trnews_recall": (">=", 0.90), "lgl_e2e161": (">=", 0.65),
}


def median_time(fn, repeat: int) -> float:
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def start_scale(n: int, repeat: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bench.scale", "--n", str(n), "--repeat", str(repeat)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)


def bench_gazetteer(res: dict, quick: bool):
    from app.gazetteer import Gazetteer, build_base_index

    build_base_index()
    res["gazetteer_load_s"] = median_time(lambda: Gazetteer.load(user_db=False), 3 if quick else 7)
    gaz = Gazetteer.load(user_db=False)
    names = ["Martakert", "Aghdara", "Kherson", "Tripoli", "Donetsk Oblast", "Idlib", "Gao", "Goma", "El Fasher",
             "Stepanakert", "Aleppo", "Bakhmut", "Mogadishu", "Khan Younis", "Lashio", "Nagorno-Karabakh"]
    for n in names:  # warm the record cache, as a running app has it
        gaz.lookup(n)
    t = median_time(lambda: [gaz.lookup(n, fuzzy=False) for n in names], 30 if quick else 200)
    res["lookup_us"] = t / len(names) * 1e6
    return gaz


def bench_ingest(res: dict, gaz, quick: bool):
    from app.pipeline import Pipeline
    from app.store import Store
    from bench import synth

    pipe = Pipeline(gaz)
    corpus = synth.articles(gaz, 40 if quick else 200)
    res["corpus_articles"] = len(corpus)
    res["corpus_mean_kb"] = sum(len(a.document.encode()) for a in corpus) / len(corpus) / 1024
    pipe.process(corpus[0])  # lazily loaded word lists, once per process

    def run():
        with tempfile.TemporaryDirectory() as td, Store(Path(td) / "s.gpkg") as store:
            for a in corpus:
                store.add(a, pipe.process(a).incidents)

    res["ingest_articles_per_s"] = len(corpus) / median_time(run, 3 if quick else 5)
    res["geoparse_articles_per_s"] = len(corpus) / median_time(lambda: [pipe.geoparser.parse(a) for a in corpus], 3)
    return pipe, corpus


def bench_peer(res: dict, corpus, quick: bool):
    from bench.peer import Peer

    t = time.perf_counter()
    peer = Peer()
    res["peer_build_s"] = time.perf_counter() - t

    def run():
        for a in corpus:
            peer.mentions(a.document)

    res["peer_articles_per_s"] = len(corpus) / median_time(run, 3 if quick else 5)
    res["ingest_vs_peer"] = res["ingest_articles_per_s"] / res["peer_articles_per_s"]
    return peer


def bench_quality(res: dict, pipe, peer) -> None:
    from corpus_eval import CORPUS, HELDOUT, Score, load_corpus, score_article, to_article
    from incident_eval import FIELDS, score

    for label, folder in (("", None), ("_dev", CORPUS), ("_heldout", HELDOUT)):
        items = load_corpus(CORPUS) + load_corpus(HELDOUT) if folder is None else load_corpus(folder)
        ours, theirs = Score(), Score()
        for it in items:
            parsed = pipe.geoparser.parse(to_article(it))
            ours.add(score_article(it, parsed.document, parsed.mentions))
            theirs.add(score_article(it, parsed.document, peer.mentions(parsed.document)))
        res[f"place_f1{label}"] = ours.f1
        res[f"peer_place_f1{label}"] = theirs.f1
    for label, folder in (("_dev", CORPUS), ("_heldout", HELDOUT)):
        items = load_corpus(folder)
        ok, total, _ = score(items, lambda it: pipe.extractor.extract(pipe.geoparser.parse(to_article(it))),
                             pipe.geoparser.gaz)
        res[f"incident_fields{label}"] = {f: round(ok[f] / total, 3) for f in FIELDS}


SHARED = ROOT.parent / "shared"


def bench_public_corpora(res: dict, pipe, peer) -> None:
    """End-to-end@161 and recall on the public geoparsing corpora (LGL, TR-News), ours beside
    the peer's, scored by the shared scorer's own functions (skipped where they are absent)."""
    scorer = SHARED / "tools" / "score_geoparsing.py"
    corpora = SHARED / "corpora"
    if not scorer.is_file() or not corpora.is_dir():
        return
    import importlib.util

    from app.articles import Article

    spec = importlib.util.spec_from_file_location("score_geoparsing", scorer)
    sg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sg)
    gpkg = str(ROOT / "geodata" / "natural_earth.gpkg")
    gaz = pipe.geoparser.gaz

    def peer_dict(m) -> dict:
        p = m.place
        if p.kind == "country":  # the peer's countries carry no point: give them the country's own
            own = gaz.get(f"ne:country:{p.country_code}")
            if own is not None:
                return {"start": m.start, "end": m.end, "lat": own.lat, "lon": own.lon, "id": own.id}
        return {"start": m.start, "end": m.end, "lat": p.lat, "lon": p.lon, "id": p.id}

    for name, (fn, loader) in sg.LOADERS.items():
        docs = loader(corpora / fn)
        ours = {d["id"]: [m.to_dict() for m in pipe.geoparser.parse(Article(id=d["id"], text=d["text"])).mentions]
                for d in docs}
        theirs = {d["id"]: [peer_dict(m) for m in peer.mentions(d["text"])] for d in docs}
        for who, by in (("", ours), ("peer_", theirs)):
            r = sg.score(docs, by, gpkg)
            res[f"{who}{name}_e2e161"] = r["e2e161"]
            res[f"{who}{name}_recall"] = r["recall"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and a smaller corpus; under a minute")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = ap.parse_args(argv)
    started = time.time()
    res: dict = {}
    repeat = 1 if args.quick else 3
    # The store-size runs go in their own processes; in --quick the largest overlaps the
    # peer's set-up on the second core.
    pending = {} if not args.quick else {100_000: start_scale(100_000, repeat)}
    gaz = bench_gazetteer(res, args.quick)
    pipe, corpus = bench_ingest(res, gaz, args.quick)
    peer = bench_peer(res, corpus, args.quick)
    bench_quality(res, pipe, peer)
    bench_public_corpora(res, pipe, peer)
    from bench import reports

    if reports.available():
        for part, folder in reports.PARTS.items():
            res[f"reports_{part}"] = reports.evaluate(folder, pipe)
    scaling = {}
    for n in SCALES:
        proc = pending.pop(n, None) or start_scale(n, repeat)
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"bench.scale --n {n} failed")
        scaling[n] = json.loads(out)
    big = scaling[100_000]
    for k in ("map_build_s", "map_payload_mb", "filter_ms", "export_geojson_s", "export_geojson_mb", "store_load_s",
              "peak_rss_mb"):
        res[k] = big[k]
    res["scaling"] = {str(n): {k: v for k, v in r.items() if k != "n"} for n, r in scaling.items()}
    meta = {"quick": args.quick, "python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "platform": platform.platform(), "wall_s": round(time.time() - started, 1),
            "date": time.strftime("%Y-%m-%d %H:%M:%S"), "goals": {k: f"{op} {v}" for k, (op, v) in GOALS.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": res}, indent=2) + "\n")
    print(table(res))
    print(f"\n(wall {meta['wall_s']} s; written to {args.out})")
    return 0


def table(res: dict) -> str:
    lines = [f"{'metric':<26} {'value':>12}  goal"]
    for k, v in res.items():
        if isinstance(v, dict):
            continue
        goal = GOALS.get(k)
        mark = ""
        if goal:
            op, g = goal
            met = v >= g if op == ">=" else v <= g
            mark = f"{op} {g:g}  {'met' if met else 'MISSED'}"
        lines.append(f"{k:<26} {v:>12,.3f}  {mark}" if isinstance(v, float) else f"{k:<26} {v:>12}  {mark}")
    lines.append("")
    lines.append(f"{'incidents':>10} {'store_load_s':>13} {'filter_ms':>10} {'map_build_s':>12} {'payload_mb':>11} "
                 f"{'export_s':>9} {'export_mb':>10} {'peak_rss_mb':>12}")
    for n, r in res["scaling"].items():
        lines.append(f"{int(n):>10,} {r['store_load_s']:>13.3f} {r['filter_ms']:>10.1f} {r['map_build_s']:>12.3f} "
                     f"{r['map_payload_mb']:>11.2f} {r['export_geojson_s']:>9.3f} {r['export_geojson_mb']:>10.1f} "
                     f"{r['peak_rss_mb']:>12.0f}")
    for part in ("dev", "test"):
        r = res.get(f"reports_{part}")
        if r:
            lines.append(f"real reports ({part}): " + ", ".join(f"{k} {v}" for k, v in r.items()))
    for label in ("_dev", "_heldout"):
        f = res.get(f"incident_fields{label}")
        if f:
            lines.append(f"incident fields{label}: " + ", ".join(f"{k} {v:.2f}" for k, v in f.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
