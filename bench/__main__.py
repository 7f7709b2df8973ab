"""python -m bench [--quick]: writes bench/results/latest.json and prints a table."""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_gazetteer(results: dict, quick: bool) -> None:
    from app.gazetteer import Gazetteer, build_base_index

    build_base_index()
    results["gazetteer_load_s"] = median_time(lambda: Gazetteer.load(user_db=False), 3 if quick else 5)
    gaz = Gazetteer.load(user_db=False)
    names = ["Martakert", "Aghdara", "Kherson", "Tripoli", "Donetsk Oblast", "Idlib", "Gao", "Goma", "El Fasher",
             "Stepanakert", "Aleppo", "Bakhmut", "Mogadishu", "Khan Younis", "Lashio", "Nagorno-Karabakh"]
    for n in names:  # warm the record cache as a running app would have
        gaz.lookup(n)
    rounds = 50 if quick else 200
    t = median_time(lambda: [gaz.lookup(n, fuzzy=False) for n in names], rounds)
    results["lookup_us"] = t / len(names) * 1e6


def bench_geoparse(results: dict, quick: bool) -> None:
    from corpus_eval import Score, load_corpus, score_article, to_article

    from app.articles import read_inputs
    from app.gazetteer import Gazetteer
    from app.geoparse import Geoparser

    gp = Geoparser(Gazetteer.load(user_db=False))
    corpus = load_corpus()
    articles = [to_article(c) for c in corpus] + list(read_inputs([ROOT / "seeds"]))
    for a in articles:
        gp.parse(a)  # load lazily-built resources once
    t = median_time(lambda: [gp.parse(a) for a in articles], 3 if quick else 7)
    results["geoparse_articles_per_s"] = len(articles) / t
    results["geoparse_kb_per_s"] = sum(len(a.document.encode()) for a in articles) / 1024 / t
    total = Score()
    for c in corpus:
        p = gp.parse(to_article(c))
        total.add(score_article(c, p.document, p.mentions))
    results["place_f1"] = total.f1
    results["place_precision"] = total.precision
    results["place_recall"] = total.recall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions; under a minute")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = ap.parse_args(argv)
    results: dict = {}
    started = time.time()
    bench_gazetteer(results, args.quick)
    bench_geoparse(results, args.quick)
    meta = {"quick": args.quick, "python": platform.python_version(), "machine": platform.machine(),
            "processor": platform.processor(), "cpus": __import__("os").cpu_count(),
            "wall_s": round(time.time() - started, 1), "date": time.strftime("%Y-%m-%d %H:%M:%S")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    width = max(len(k) for k in results)
    for k, v in results.items():
        print(f"{k:<{width}}  {v:,.3f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    print(f"(written to {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
