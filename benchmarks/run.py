"""Run the benchmarks and print a table of figures against the targets of issue 6.

    python benchmarks/run.py [all|plan|memory|pacing|emulator|startup] [--sizes 100,1000] [--json OUT]

``--json OUT`` also writes every raw figure; a bare file name lands in
``benchmarks/results/`` (git-ignored). Nothing here asserts: this is a report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` and ``ulplan`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import pacing, plan_memory, plan_scale, startup, throughput  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
Row = tuple[str, str, str]


def _suites(args: argparse.Namespace) -> dict[str, Callable[[], tuple[Any, list[Row]]]]:
    def plan() -> tuple[Any, list[Row]]:
        result = plan_scale.run(args.sizes)
        return result, plan_scale.rows(result)

    def memory() -> tuple[Any, list[Row]]:
        result = plan_memory.run(args.memory_size)
        return result, plan_memory.rows(result)

    def pace() -> tuple[Any, list[Row]]:
        result = pacing.run()
        return result, pacing.rows(result)

    def emulator() -> tuple[Any, list[Row]]:
        result = throughput.run()
        return result, throughput.rows(result)

    def start() -> tuple[Any, list[Row]]:
        result = startup.run()
        return result, startup.rows(result)

    return {"startup": start, "plan": plan, "memory": memory, "pacing": pace, "emulator": emulator}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "suite", nargs="?", default="all", choices=["all", "plan", "memory", "pacing", "emulator", "startup"]
    )
    parser.add_argument("--sizes", default="100,1000", help="plan sizes, comma-separated (5000 is optional)")
    parser.add_argument("--memory-size", type=int, default=10_000, help="resources in the memory benchmark")
    parser.add_argument("--json", dest="json_out", metavar="OUT", help="write raw results as JSON")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    return args


def table(rows: list[Row]) -> str:
    """An aligned text table: measure, value, target."""
    header = ("measure", "value", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites, print the table, write JSON when asked."""
    args = parse(argv)
    suites = _suites(args)
    chosen = list(suites) if args.suite == "all" else [args.suite]
    machine: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": _cpus(),
        "load_average_at_start": os.getloadavg(),
    }
    results: dict[str, Any] = {"machine": machine}
    rows: list[Row] = []
    for name in chosen:
        started = time.perf_counter()
        print(f"running {name}...", file=sys.stderr, flush=True)
        results[name], suite_rows = suites[name]()
        rows += suite_rows
        print(f"  {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\n{machine['cpus']} CPUs, load average at start {machine['load_average_at_start'][0]:.1f}")
    if args.json_out:
        out = Path(args.json_out)
        if out.parent == Path():
            RESULTS.mkdir(exist_ok=True)
            out = RESULTS / out
        out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nraw results: {out}", file=sys.stderr)
    return 0


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)


if __name__ == "__main__":
    sys.exit(main())
