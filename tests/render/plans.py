"""Hand-built plans the golden render tests share (one per scenario)."""

from __future__ import annotations

from ulplan.changes import UNKNOWN, Action, ActionReason, FieldDiff, Plan, ResourceChange


def mixed() -> Plan:
    """One of every action, with drift, a forced replacement, unknowns, cost and outputs."""
    changes = (
        ResourceChange(
            address="project.detection",
            kind="project",
            name="detection",
            action=Action.UPDATE,
            before={"name": "detection", "description": "old", "visibility": "private", "tags": ["a"]},
            after={
                "name": "detection",
                "description": "Detection (prod)",
                "visibility": "private",
                "tags": ["a"],
            },
            diffs=(FieldDiff("description", "old", "Detection (prod)"),),
            resource_id="project_1",
            fingerprint="2026-01-01T00:00:00Z",
        ),
        ResourceChange(
            address="dataset.traffic",
            kind="dataset",
            name="traffic",
            action=Action.CREATE,
            before=None,
            after={"name": "traffic", "task": "detect", "classNames": ["car", "bus"]},
            reason=ActionReason.DRIFTED,
            resource_id="dataset_9",
        ),
        ResourceChange(
            address="model.traffic-yolo",
            kind="model",
            name="traffic-yolo",
            action=Action.REPLACE,
            before={"name": "traffic-yolo", "fileSha256": "aa11", "projectId": "project_1"},
            after={
                "name": "traffic-yolo",
                "fileSha256": "bb22",
                "projectId": "project_1",
                "training": {"datasetId": UNKNOWN, "epochs": 10, "gpuType": "rtx-4090"},
            },
            diffs=(FieldDiff("fileSha256", "aa11", "bb22", forces_replacement=True),),
            reason=ActionReason.REPLACE_BY_REQUEST,
            resource_id="model_3",
            depends_on=("project.detection", "dataset.traffic"),
            estimated_cost_micro_usd=1_250_000,
        ),
        ResourceChange(
            address="deployment.traffic-api",
            kind="deployment",
            name="traffic-api",
            action=Action.UPDATE,
            before={
                "modelId": "model_3",
                "region": "us-central1",
                "resources": {"cpu": 1, "maxInstances": 2},
            },
            after={"modelId": UNKNOWN, "region": "us-central1", "resources": {"cpu": 2, "maxInstances": 2}},
            diffs=(FieldDiff("resources.cpu", 1, 2),),
            resource_id="deployment_4",
            depends_on=("model.traffic-yolo",),
        ),
        ResourceChange(
            address="export.traffic-onnx",
            kind="export",
            name="traffic-onnx",
            action=Action.DELETE,
            before={"modelId": "model_3", "format": "onnx", "args": {}},
            after=None,
            reason=ActionReason.DELETE_NOT_IN_CONFIG,
            resource_id="export_5",
        ),
        ResourceChange(
            address="project.archive",
            kind="project",
            name="archive",
            action=Action.NOOP,
            before={"name": "archive"},
            after={"name": "archive"},
            resource_id="project_2",
        ),
    )
    return Plan(
        changes=changes,
        state_lineage="0c6f1c9e-5d1a-4b6e-9a57-1f0d2f3e4a5b",
        state_serial=7,
        estimated_cost_micro_usd=1_250_000,
        balance_micro_usd=50_000_000,
        warnings=("model.traffic-yolo: training on rtx-4090 is estimated at 0:12",),
        outputs={"endpoint": UNKNOWN, "dataset_uri": "ul://user1/datasets/traffic"},
    )


def no_changes() -> Plan:
    """Everything matches."""
    noop = ResourceChange(
        address="project.detection",
        kind="project",
        name="detection",
        action=Action.NOOP,
        before={"name": "detection"},
        after={"name": "detection"},
        resource_id="project_1",
    )
    return Plan(changes=(noop,), state_lineage="l", state_serial=2)


def destroy_with_dependency_and_errors() -> Plan:
    """A targeted destroy: a create-before-destroy replacement forced by a dependency, and an error."""
    changes = (
        ResourceChange(
            address="export.onnx",
            kind="export",
            name="onnx",
            action=Action.REPLACE,
            before={"modelId": "model_1", "format": "onnx"},
            after={"modelId": UNKNOWN, "format": "onnx"},
            diffs=(FieldDiff("modelId", "model_1", UNKNOWN, forces_replacement=True),),
            reason=ActionReason.REPLACE_BY_DEPENDENCY,
            resource_id="export_1",
            depends_on=("model.yolo",),
            extra={"lifecycle": {"create_before_destroy": True}},
        ),
        ResourceChange(
            address="dataset.old",
            kind="dataset",
            name="old",
            action=Action.DELETE,
            before={"name": "old", "task": "detect"},
            after=None,
            reason=ActionReason.DESTROY,
            resource_id="dataset_2",
        ),
    )
    return Plan(
        changes=changes,
        state_lineage="l",
        state_serial=3,
        destroy=True,
        targets=("dataset.old", "export.onnx"),
        errors=("deployment.api has lifecycle.prevent_destroy and this plan would destroy it",),
        estimated_cost_micro_usd=90_000_000,
        balance_micro_usd=1_000_000,
    )


PLANS = {"mixed": mixed, "no_changes": no_changes, "destroy_errors": destroy_with_dependency_and_errors}
