"""Command line: ``python -m app <command>``.

The commands and their JSON shapes are contracts other tools rely on: add fields,
never rename or remove them.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from shapely.geometry import Point, mapping

from .models import Candidate


def _eprint(*args: Any) -> None:
    print(*args, file=sys.stderr)


def candidate_json(c: Candidate, with_geometry: bool = True) -> dict[str, Any]:
    d = c.to_dict(with_geometry=with_geometry)
    if with_geometry and d.get("geometry") is None:
        d["geometry"] = mapping(Point(c.place.lon, c.place.lat))
    return d


def cmd_geocode(args: argparse.Namespace) -> int:
    from .gazetteer import Gazetteer

    gaz = Gazetteer.load()
    cands = gaz.lookup(args.name, country=args.country, kind=args.kind, limit=args.limit, fuzzy=not args.exact)
    if not cands:
        _eprint(f"geocode: no place matches {args.name!r}" + (f" (country {args.country})" if args.country else ""))
        return 1
    if args.json:
        json.dump([candidate_json(c, with_geometry=not args.no_geometry) for c in cands], sys.stdout,
                  ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{'#':>2}  {'score':>5}  {'match':<6} {'name':<28} {'kind':<8} cc  {'admin1':<22} "
          f"{'lat':>9} {'lon':>10}  population  id")
    for i, c in enumerate(cands, 1):
        p = c.place
        area = f"  area {p.area_km2:,.0f} km²" if p.area_km2 else ""
        print(f"{i:>2}  {c.score:5.3f}  {c.match:<6} {p.name[:28]:<28} {p.kind:<8} {p.country_code or '--':<3} "
              f"{p.admin1[:22]:<22} {p.lat:9.4f} {p.lon:10.4f}  {p.population:>10,}  {p.id}{area}")
    return 0


def _published(value: str | None):
    from .articles import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise SystemExit(f"--published: {e}") from None


def cmd_places(args: argparse.Namespace) -> int:
    from .articles import InputProblem, read_inputs, reason
    from .gazetteer import Gazetteer
    from .geoparse import Geoparser

    parser = Geoparser(Gazetteer.load())
    out: list[dict[str, Any]] = []
    problems = n_articles = 0
    for item in read_inputs(args.inputs, _published(args.published)):
        if isinstance(item, InputProblem):
            _eprint(f"places: skipped {item}")
            problems += 1
            continue
        n_articles += 1
        try:
            mentions = list(parser.parse(item).mentions)
        except Exception as e:  # noqa: BLE001 - one article never stops the batch
            _eprint(f"places: skipped {item.origin or item.id}: could not be processed ({reason(e)})")
            problems += 1
            continue
        if args.json:
            out.extend(m.to_dict() for m in mentions)
            continue
        print(f"== {item.id}  {item.title[:70]}  ({item.published or 'no date'})")
        if not mentions:
            print("   no places found")
        for m in mentions:
            p = m.place
            where = (f"{p.name} [{p.kind}, {p.country_code or '--'}{', ' + p.admin1 if p.admin1 else ''}] "
                     f"{p.lat:.4f},{p.lon:.4f}") if p else ", ".join(
                f"{c.place.name} ({c.place.country_code}) {c.score:.2f}" for c in m.candidates) or "-"
            print(f"   {m.start:>6}-{m.end:<6} {m.text[:28]:<28} {m.status:<10} {m.confidence:4.2f}  {where}")
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    if problems:
        _eprint(f"places: {n_articles} articles read, {problems} inputs skipped")
    return 2 if problems else 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Sentence by sentence: what extraction found, which rule kept or dropped it, and why."""
    from .articles import InputProblem, read_inputs, reason
    from .gazetteer import Gazetteer
    from .incidents import Decision
    from .pipeline import Pipeline

    pipe = Pipeline(Gazetteer.load())
    out, problems = [], 0
    for item in read_inputs(args.inputs, _published(args.published)):
        if isinstance(item, InputProblem):
            _eprint(f"explain: skipped {item}")
            problems += 1
            continue
        trace: list[Decision] = []
        try:
            parsed, incidents = pipe.analyse(item, trace)
        except Exception as e:  # noqa: BLE001 - one article never stops the batch
            _eprint(f"explain: skipped {item.origin or item.id}: could not be processed ({reason(e)})")
            problems += 1
            continue
        by_sentence: dict[int, list[Decision]] = {}
        for dcs in trace:
            by_sentence.setdefault(dcs.sentence, []).append(dcs)
        if args.json:
            out.append({"article_id": item.id, "published": item.published.isoformat() if item.published else None,
                        "sentences": [{"index": i, "text": parsed.document[a:b],
                                       "places": [m.text for m in parsed.mentions if a <= m.start < b],
                                       "decisions": [d.to_dict() for d in by_sentence.get(i, [])]}
                                      for i, (a, b) in enumerate(parsed.sentences)],
                        "incidents": [inc.to_dict() for inc in incidents]})
            continue
        published = item.published or "NO PUBLICATION DATE: relative dates stay empty"
        print(f"== {item.id}  {item.title[:70]}  ({published})")
        for i, (a, b) in enumerate(parsed.sentences):
            text = " ".join(parsed.document[a:b].split())
            places = [f"{m.text}{'?' if m.status != 'resolved' else ''}" for m in parsed.mentions if a <= m.start < b]
            print(f"[{i}] {text[:160]}{'…' if len(text) > 160 else ''}")
            if places:
                print(f"     places: {', '.join(places)}")
            for d in by_sentence.get(i, []):
                print(f"     {d.verdict}: {d.reason}")
        print(f"-- {len(incidents)} incidents")
        for inc in incidents:
            print(f"   {inc.kind:<16} {str(inc.event_date or '-'):<10} {inc.location or '(unmapped)':<22} "
                  f"{inc.event_type:<28} "
                  f"toll {inc.fatalities if inc.fatalities is not None else '-':<5} {inc.actor1 or '-'}")
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    return 2 if problems else 0


def _date_arg(value: str):
    from .articles import parse_date

    try:
        return parse_date(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _open_store(path, readonly: bool = False):
    """The store, or exit status 2 with a clear message. Read-only commands never create one."""
    from .store import Store, StoreError

    try:
        return Store(path, readonly=readonly)
    except StoreError as e:
        _eprint(f"store: {e}")
        raise SystemExit(2) from None


def _check_out(path: Path) -> None:
    """Refuse an ``--out`` that cannot be written before anything is ingested."""
    if str(path) == "-":
        return
    if path.is_dir():
        raise SystemExit(f"--out {path}: is a folder; give a file name, e.g. {path / 'incidents.geojson'}")
    folder = next(p for p in (path.parent, *path.parent.parents) if p.exists())
    if not folder.is_dir():
        raise SystemExit(f"--out {path}: {folder} is not a folder")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise SystemExit(f"--out {path}: cannot write in {folder} ({e.strerror or e})") from None


def _run_rows(store, event_ids: list[str]) -> list[dict[str, Any]]:
    """The stored incidents with these ids, in export order, fetched a bounded number of ids at a time."""
    from .export import Filters, select

    ids = list(dict.fromkeys(event_ids))
    if len(ids) <= 10_000:
        return select(store, Filters(event_ids=ids))
    rows = [r for i in range(0, len(ids), 10_000) for r in select(store, Filters(event_ids=ids[i : i + 10_000]))]
    return sorted(rows, key=lambda r: (r["event_date"] or "", r["fid"]))


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest; with ``--out``, the GeoJSON of every incident the inputs report, those stored by an earlier
    run included, so a run whose file could not be written is recovered by running it again."""
    from .export import write_geojson
    from .gazetteer import Gazetteer
    from .pipeline import Pipeline, ingest

    if args.out:
        _check_out(args.out)
    store = _open_store(args.store)
    try:
        summary, _ = ingest(args.inputs, store, _published(args.published), Pipeline(Gazetteer.load()),
                            progress=None if not args.quiet else False, collect_event_ids=bool(args.out))
        rows = _run_rows(store, summary.event_ids) if args.out else []
    finally:
        store.close()
    for line in summary.lines():
        _eprint(line)
    if args.out:
        try:
            write_geojson(rows, args.out)
        except OSError as e:
            _eprint(f"ingest: could not write {args.out} ({e.strerror or e}). The incidents are stored: run the "
                    "same command again to write the file (articles already stored are exported again).")
            return 1
        _eprint(f"wrote {len(rows)} incidents to {args.out}")
    return 2 if summary.n_skipped else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import WRITERS, atomic_path, select, store_geojson_bytes

    filters = _filters(args)
    store = _open_store(args.store, readonly=True)
    try:
        if args.format == "geojson":
            data = store_geojson_bytes(store, filters)
            n = data.count(b'"type":"Feature"')
            with atomic_path(args.out) as tmp:
                tmp.write_bytes(data)
        else:
            rows = select(store, filters)
            n = len(rows)
            WRITERS[args.format](rows, args.out)
    finally:
        store.close()
    _eprint(f"wrote {n} incidents to {_where(args.out)} ({args.format})")
    return 0


def _where(out: Path) -> str:
    return "standard output" if str(out) == "-" else str(out)


def cmd_map(args: argparse.Namespace) -> int:
    from .export import atomic_path, select
    from .gazetteer import Gazetteer
    from .ui.data import load_sources
    from .ui.mapview import standalone_map

    store = _open_store(args.store, readonly=True)
    try:
        rows = select(store, _filters(args))
    finally:
        store.close()
    ids = {r["event_id"] for r in rows}
    srcs = {k: v for k, v in load_sources(store.path).items() if k in ids}
    html = standalone_map(rows, Gazetteer.load(), srcs)
    with atomic_path(args.out) as tmp:
        tmp.write_text(html, encoding="utf-8")
    _eprint(f"wrote a map of {len(rows)} incidents to {_where(args.out)} ({len(html) / 1e6:.1f} MB, works offline)")
    return 0


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", type=_date_arg, metavar="DATE", help="events on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", type=_date_arg, metavar="DATE", help="events on or before this date")
    p.add_argument("--actor", action="append", metavar="A", help="actor1 or actor2 is A, in any case (repeatable)")
    p.add_argument("--type", action="append", metavar="T", help="event type or sub-event type (repeatable)")
    p.add_argument("--claimant", action="append", metavar="C",
                   help="claimed_by or source is C, in any case (repeatable)")
    p.add_argument("--kind", action="append", choices=["event", "aggregate_report"], help="incident kind (repeatable)")
    p.add_argument("--min-fatalities", type=_count_arg, metavar="N", help="at least N fatalities")


MAX_COUNT = 1_000_000_000  # beyond any plausible count of fatalities


def _count_arg(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a whole number") from None
    if not 0 <= n <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{value[:40]} is out of range (0..{MAX_COUNT:,})")
    return n


def _input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, or - for standard input")
    p.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD) for inputs without one")


def _filters(args: argparse.Namespace):
    from .export import Filters

    return Filters(since=args.since, until=args.until, actors=args.actor or (), types=args.type or (),
                   claimants=args.claimant or (), kinds=args.kind or (), min_fatalities=args.min_fatalities)


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, metavar="PATH",
                   help="GeoPackage store (default data/incidents.gpkg, or $CONFLICTMAP_STORE)")


def cmd_gazetteer_build(args: argparse.Namespace) -> int:
    from .gazetteer import build_base_index

    path = build_base_index(force=args.force)
    print(f"gazetteer index ready at {path}")
    return 0


def cmd_gazetteer_import(args: argparse.Namespace) -> int:
    from .userdata import ImportFileError, default_user_db, import_places

    status = 0
    for f in args.files:
        try:
            r = import_places(f, user_db=args.user_db)
        except ImportFileError as e:
            _eprint(f"gazetteer import: {e}; nothing was imported from this file")
            status = 2
            continue
        except (OSError, sqlite3.Error) as e:  # the user gazetteer or its folder: read-only, full, locked
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            _eprint(f"gazetteer import: {f}: cannot write the user gazetteer "
                    f"{args.user_db or default_user_db()} ({why}); nothing was imported from this file")
            status = 2
            continue
        print(f"{r.path}: {r.format}: {r.added} places added, {r.replaced} replaced"
              + (f", {r.skipped_features} features of other classes skipped" if r.skipped_features else ""))
    return status


def _country_code_arg(value: str) -> str:
    from .fetch import country_code

    try:
        return country_code(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def cmd_gazetteer_fetch(args: argparse.Namespace) -> int:
    from .fetch import (
        ADMIN2_FILE,
        FetchError,
        NetworkError,
        admin2_check,
        default_download_dir,
        download,
        fetch_country,
        resolve_base_url,
    )

    try:
        base = resolve_base_url(args.base_url)
    except FetchError as e:
        _eprint(f"gazetteer fetch: {e}")
        return 2
    dest = args.dir or default_download_dir()
    progress = not args.quiet
    status = 0
    try:
        for cc in dict.fromkeys(args.countries):
            r = fetch_country(cc, base, dest, user_db=args.user_db, progress=progress)
            if r.error:
                _eprint(f"gazetteer fetch: {cc}: {r.error}")
                status = 2
                continue
            # fetch_country sets download whenever it reports no error
            got = f"{r.download.path.name} {r.download.status}" if r.download else "not downloaded"
            print(f"{cc}: {r.added:,} places added, {r.replaced:,} replaced"
                  + (f", {r.skipped_features:,} features of other classes skipped" if r.skipped_features else "")
                  + f" ({got}; imported from {r.extract})")
        try:
            a = download(base + ADMIN2_FILE, dest / ADMIN2_FILE, check=admin2_check, progress=progress)
            print(f"{ADMIN2_FILE}: {a.status}, kept at {a.path} (admin-2 names for later use; not imported)")
        except NetworkError:
            raise
        except FetchError as e:
            _eprint(f"gazetteer fetch: {e}")
            status = 2
    except NetworkError as e:
        _eprint(f"gazetteer fetch: {e}")
        return 2
    except KeyboardInterrupt:
        _eprint("gazetteer fetch: interrupted; run the same command again to resume the download")
        return 130
    except OSError as e:  # the download folder cannot be made or written
        _eprint(f"gazetteer fetch: {e}")
        return 2
    return status


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m app",
                                 description="Offline conflict-incident map: gazetteer, geoparsing, incidents.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser("geocode", help="look a place name up in the offline gazetteer",
                       description="Ranked candidates for a place name, best first.")
    g.add_argument("name", help="place name, any common spelling (Martakert, Aghdara, Ağdərə ...)")
    g.add_argument("--country", help="ISO 3166 alpha-2 code to prefer (e.g. AZ)")
    g.add_argument("--kind", choices=["country", "region", "city", "town", "village", "place"],
                   help="kind of place to prefer")
    g.add_argument("--limit", type=int, default=5, help="how many candidates (default 5)")
    g.add_argument("--json", action="store_true", help="print a JSON array")
    g.add_argument("--no-geometry", action="store_true", help="leave polygons out of the JSON")
    g.add_argument("--exact", action="store_true", help="no fuzzy fallback")
    g.set_defaults(func=cmd_geocode)

    pl = sub.add_parser("places", help="find and resolve the places articles mention",
                        description="Geoparse articles (.txt, .json, .jsonl, directories, - for stdin).")
    _input_options(pl)
    pl.add_argument("--json", action="store_true", help="print one JSON array of mentions")
    pl.set_defaults(func=cmd_places)

    xp = sub.add_parser("explain", help="show, sentence by sentence, what extraction found and why",
                        description="For each sentence: the places found, whether it became an incident, and the rule "
                                    "that kept, merged or dropped it; then the article's incidents.")
    _input_options(xp)
    xp.add_argument("--json", action="store_true", help="print the decisions as JSON")
    xp.set_defaults(func=cmd_explain)

    ing = sub.add_parser("ingest", help="extract incidents from articles into the store",
                         description="Geoparse articles, extract incidents, store them; "
                                     "optionally write this run's incidents as GeoJSON.")
    _input_options(ing)
    _store_option(ing)
    ing.add_argument("--out", type=Path, metavar="FILE.geojson", help="write this run's incidents as GeoJSON")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.set_defaults(func=cmd_ingest)

    ex = sub.add_parser("export", help="export stored incidents (GeoJSON, CSV, GeoPackage)",
                        description="Export the store's incidents, filtered, as GeoJSON (RFC 7946), "
                                    "ACLED-style CSV or GeoPackage.")
    _store_option(ex)
    ex.add_argument("--format", required=True, choices=["geojson", "csv", "gpkg"], help="output format")
    ex.add_argument("--out", required=True, type=Path, metavar="FILE",
                    help="output file (a regular file is replaced atomically, keeping its mode; a symbolic link "
                         "is followed; a FIFO or device is written to; - is standard output)")
    _filter_options(ex)
    ex.set_defaults(func=cmd_export)

    mp = sub.add_parser("map", help="write a standalone offline HTML map of stored incidents",
                        description="A self-contained HTML map (Leaflet, styles, base map and data inlined) "
                                    "of the filtered incidents.")
    _store_option(mp)
    mp.add_argument("--out", required=True, type=Path, metavar="FILE.html",
                    help="output file (written as export --out is; - is standard output)")
    _filter_options(mp)
    mp.set_defaults(func=cmd_map)

    gz = sub.add_parser("gazetteer", help="build the index or import more places",
                        description="Manage the offline gazetteer.")
    gsub = gz.add_subparsers(dest="gazetteer_command", required=True, metavar="ACTION")
    b = gsub.add_parser("build", help="build the base index now (otherwise built on first use)",
                        description="Build the compact base index in the cache directory.")
    b.add_argument("--force", action="store_true", help="rebuild even if an index for these sources exists")
    b.set_defaults(func=cmd_gazetteer_build)
    im = gsub.add_parser("import", help="add places from a GeoNames dump or a CSV to the user gazetteer",
                         description="Add places from a GeoNames dump (e.g. AZ.txt) "
                                     "or a CSV with name,lat,lon columns.")
    im.add_argument("files", nargs="+", type=Path, metavar="FILE", help="GeoNames dump (.txt) or CSV file(s)")
    im.add_argument("--user-db", type=Path,
                    help="user gazetteer file (default data/user_gazetteer.sqlite or $CONFLICTMAP_DATA)")
    im.set_defaults(func=cmd_gazetteer_import)
    fe = gsub.add_parser(
        "fetch", help="download GeoNames country extracts and import them (needs a network connection)",
        description="Download GeoNames country extracts (CC.zip) and admin2Codes.txt, resuming interrupted "
                    "downloads and checking each file, then import CC.txt into the user gazetteer as "
                    "`gazetteer import` does. The only command that uses the network.")
    fe.add_argument("countries", nargs="+", type=_country_code_arg, metavar="CC",
                    help="ISO 3166 alpha-2 country code(s), e.g. AM AZ UA")
    fe.add_argument("--base-url", metavar="URL",
                    help="where the dump lives (default $CONFLICTMAP_GEONAMES_URL, else "
                         "https://download.geonames.org/export/dump/)")
    fe.add_argument("--dir", type=Path, metavar="PATH",
                    help="download folder (default: downloads/ in the cache directory, ~/.cache/conflictmap "
                         "or $CONFLICTMAP_CACHE)")
    fe.add_argument("--user-db", type=Path,
                    help="user gazetteer file (default data/user_gazetteer.sqlite or $CONFLICTMAP_DATA)")
    fe.add_argument("--quiet", action="store_true", help="no progress bar")
    fe.set_defaults(func=cmd_gazetteer_fetch)
    return ap


def main(argv: list[str] | None = None) -> int:
    from .export import ExportError
    from .store import StoreError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except (StoreError, ExportError) as e:  # a full disk, a lock held too long, a read-only file, --out a folder
        _eprint(f"{args.command}: {e}")
        return 2
