"""Lost answers never make duplicates: with the emulator losing the answer of a share of
requests after doing the work, repeated applies converge to exactly one object each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from tests.e2e.conftest import Workspace
from tests.support.emulator import Emulator

MANIFEST = """\
version: 1
projects:
  alpha: {description: first}
  beta: {description: second}
datasets:
  cars: {task: detect}
  people: {task: pose}
models:
  yolo:
    project: alpha
    file: weights/yolo.pt
exports:
  onnx: {model: yolo, format: onnx}
deployments:
  api: {model: yolo, region: europe-west4}
"""


def test_lost_answers_make_no_duplicates(
    make_workspace: Callable[..., Workspace], emulator_factory: Callable[..., Emulator]
) -> None:
    workspace = make_workspace(emulator_factory(fault_rate=0.25, fault_mode="after"), MANIFEST)
    codes = []
    for _attempt in range(6):
        codes.append(workspace.ulplan("apply", "--auto-approve", ".").code)
        if codes[-1] == 0:
            break
    assert codes[-1] == 0, codes
    for collection, key in (
        ("projects", "slug"),
        ("datasets", "slug"),
        ("models", "slug"),
        ("deployments", "name"),
    ):
        counts = Counter(item[key] for item in workspace.live(collection))
        assert all(n == 1 for n in counts.values()), (collection, counts)
    assert len([e for e in workspace.live("exports") if e["status"] != "failed"]) == 1
    assert len(workspace.ids()) == 7
