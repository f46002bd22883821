"""Golden planner tests: one data file per case, one runner.

Each ``tests/golden/plan/<case>.yaml`` holds a manifest (and the files it uploads), the
state, the live platform objects, and the expected plan. The planner runs with a fake
read-only state reader and a fixed live source: no HTTP. Only what ``expect`` names is
checked, but every planned address must be listed there, and vice versa.

In the data, ``SHA(path)`` stands for the sha256 of a file of the case, and the string
``(known after apply)`` for UNKNOWN.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ulplan.changes import UNKNOWN, Plan, ResourceChange
from ulplan.manifest import LoadOptions, load_manifests
from ulplan.plan import PlanOptions, build_plan
from ulplan.refresh import StaticLiveSource
from ulplan.state import Intent, ResourceState, State

CASES = sorted((Path(__file__).parents[1] / "golden" / "plan").glob("*.yaml"))
SHA = re.compile(r"SHA\(([^)]+)\)")


class FakeReader:
    """A read-only state reader over a fixed State."""

    def __init__(self, state: State) -> None:
        self.state = state

    def read(self) -> State:
        return self.state.copy()


def substitute(value: Any, shas: dict[str, str]) -> Any:
    """Replace SHA(path) tokens with the real digests."""
    if isinstance(value, str):
        return SHA.sub(lambda m: shas[m.group(1)], value)
    if isinstance(value, dict):
        return {k: substitute(v, shas) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, shas) for v in value]
    return value


def comparable(value: Any) -> Any:
    """A planned value with UNKNOWN spelled as the data files spell it."""
    if value is UNKNOWN:
        return "(known after apply)"
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [comparable(v) for v in value]
    return value


def write_case(case: dict[str, Any], folder: Path) -> dict[str, str]:
    (folder / "ulplan.yaml").write_text(case["manifest"], encoding="utf-8")
    shas = {}
    for name, content in (case.get("files") or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode())
        shas[name] = hashlib.sha256(content.encode()).hexdigest()
    return shas


def make_state(data: dict[str, Any] | None) -> State:
    data = data or {}
    resources = {
        address: ResourceState(address=address, name=address.split(".", 1)[1], **fields)
        for address, fields in (data.get("resources") or {}).items()
    }
    return State(serial=data.get("serial", 1 if resources else 0), lineage="golden", resources=resources)


def run_case(case: dict[str, Any], folder: Path) -> tuple[Plan, StaticLiveSource, dict[str, Any]]:
    shas = write_case(case, folder)
    case = substitute(case, shas)
    loaded = load_manifests([folder], LoadOptions(environ={}))
    assert not loaded.has_errors, "\n".join(d.format() for d in loaded.diagnostics)
    source = StaticLiveSource(
        objects=case.get("live") or {},
        training=case.get("training") or {},
        username=case.get("username", "user1"),
        balance_micro_usd=case.get("balance", 5_000_000),
        storage=case.get("storage"),
        gpu_types=case.get("gpu_types", [{"id": "rtx-4090", "pricePerHour": 0.69, "relativeSpeed": 1.0}]),
    )
    options = case.get("options") or {}
    intents = tuple(Intent(**i) for i in case.get("intents") or [])
    plan_options = PlanOptions(
        targets=tuple(options.get("targets", ())),
        destroy=options.get("destroy", False),
        fail_on_cost=options.get("fail_on_cost", False),
        pending_intents=intents,
    )
    plan = build_plan(loaded, FakeReader(make_state(case.get("state"))), source, plan_options)
    return plan, source, case


def check_change(change: ResourceChange, wanted: dict[str, Any]) -> list[str]:
    problems = []
    got = {
        "action": change.action.value,
        "reason": change.reason.value,
        "replace_paths": change.replace_paths,
        "diffs": {d.path: comparable([d.old, d.new]) for d in change.diffs},
        "resource_id": change.resource_id,
        "adopt": bool(change.extra.get("adopt")),
        "forget": bool(change.extra.get("forget")),
        "cost": change.estimated_cost_micro_usd,
    }
    for key, value in wanted.items():
        if key == "after":
            after = comparable(change.after or {})
            for field, expected in value.items():
                if after.get(field) != expected:
                    problems.append(
                        f"{change.address}.after.{field}: wanted {expected!r}, got {after.get(field)!r}"
                    )
        elif key == "cost_positive":
            if (change.estimated_cost_micro_usd > 0) != value:
                problems.append(f"{change.address}: cost {change.estimated_cost_micro_usd}")
        elif got[key] != value:
            problems.append(f"{change.address}.{key}: wanted {value!r}, got {got[key]!r}")
    return problems


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_plan(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan, source, case = run_case(case, tmp_path)
    expect = case["expect"]
    problems: list[str] = []
    wanted_changes = expect.get("changes") or {}
    got_order = [c.address for c in plan.changes]
    if sorted(got_order) != sorted(wanted_changes):
        problems.append(f"addresses: wanted {sorted(wanted_changes)}, got {sorted(got_order)}")
    if "order" in expect and got_order != expect["order"]:
        problems.append(f"order: wanted {expect['order']}, got {got_order}")
    for change in plan.changes:
        problems += check_change(change, wanted_changes.get(change.address) or {})
    for key in ("errors", "warnings"):
        texts = list(getattr(plan, key))
        wanted = expect.get(key) or []
        if len(texts) != len(wanted) or any(w not in t for w, t in zip(wanted, texts, strict=False)):
            problems.append(f"{key}: wanted texts containing {wanted}, got {texts}")
    if "outputs" in expect and comparable(plan.outputs) != expect["outputs"]:
        problems.append(f"outputs: wanted {expect['outputs']}, got {comparable(plan.outputs)}")
    if "reads" in expect and sorted(source.reads) != sorted(expect["reads"]):
        problems.append(f"reads: wanted {sorted(expect['reads'])}, got {sorted(source.reads)}")
    if "has_changes" in expect and plan.has_changes != expect["has_changes"]:
        problems.append(f"has_changes: wanted {expect['has_changes']}, got {plan.has_changes}")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 10
