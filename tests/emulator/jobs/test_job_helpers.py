"""The pure parts of the emulated jobs: timelines, prices, curves, files, telemetry, signing."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from pathlib import Path

import pytest

from ulplan.emulator.errors import InvalidRequest
from ulplan.emulator.jobs import artifacts, gpus, regions, telemetry
from ulplan.emulator.jobs.curves import metrics_at
from ulplan.emulator.jobs.sizing import Resources
from ulplan.emulator.jobs.timeline import StepTimeline, TrainingPlan, training_at
from ulplan.emulator.jobs.webhook_sender import encode_event, sign
from ulplan.emulator.store.models import check_checkpoint

PLAN = TrainingPlan(started=100.0, startup_seconds=1.0, epoch_seconds=2.0, epochs=5)


@pytest.mark.parametrize(
    ("now", "status", "done", "eta"),
    [
        (100.5, "starting", 0, 10.5),
        (101.0, "running", 0, 10.0),
        (104.0, "running", 1, 7.0),
        (110.9, "running", 4, 0.1),
        (111.0, "completed", 5, 0.0),
        (500.0, "completed", 5, 0.0),
    ],
)
def test_training_timeline(now: float, status: str, done: int, eta: float) -> None:
    snapshot = training_at(PLAN, now)
    assert (snapshot.status, snapshot.epochs_done) == (status, done)
    assert snapshot.eta_seconds == pytest.approx(eta)


def test_a_failing_run_stops_in_its_fail_epoch_and_bills_up_to_then() -> None:
    failing = TrainingPlan(100.0, 1.0, 2.0, 5, fail_epoch=3)
    assert training_at(failing, 106.9).status == "running"
    snapshot = training_at(failing, 200.0)
    assert (snapshot.status, snapshot.epochs_done, snapshot.ended_at) == ("failed", 2, 107.0)
    assert snapshot.billable_epochs == pytest.approx(3.0)


def test_a_cancelled_run_freezes_at_its_cancel_time() -> None:
    cancelled = TrainingPlan(100.0, 1.0, 2.0, 5, cancelled=106.0)
    snapshot = training_at(cancelled, 300.0)
    assert (snapshot.status, snapshot.epochs_done, snapshot.ended_at) == ("cancelled", 2, 106.0)
    assert snapshot.billable_epochs == pytest.approx(2.5)
    assert snapshot.elapsed_seconds == pytest.approx(6.0)
    after_the_end = TrainingPlan(100.0, 1.0, 2.0, 5, cancelled=400.0)
    assert training_at(after_the_end, 500.0).status == "completed"


def test_step_timeline() -> None:
    steps = StepTimeline(started=10.0, step_seconds=1.0, statuses=("queued", "running", "completed"))
    assert [steps.status_at(t) for t in (9.0, 10.0, 10.99, 11.0, 12.0, 99.0)] == [
        "queued",
        "queued",
        "queued",
        "running",
        "completed",
        "completed",
    ]
    assert steps.finished_at == 12.0
    assert StepTimeline(10.0, 0.0, ("a", "b")).status_at(10.0) == "b"


def test_cost_follows_price_image_size_and_speed() -> None:
    gpu = gpus.gpu_type("rtx-4090")
    h100 = gpus.gpu_type("h100")
    assert gpu is not None and h100 is not None and gpus.gpu_type("nope") is None
    # One 640-pixel epoch on the reference GPU is a minute of its hourly price.
    assert gpus.cost_micro_usd(gpu, 640, 60) == gpu.micro_usd_per_hour
    assert gpus.cost_micro_usd(gpu, 1280, 1) == 4 * gpus.cost_micro_usd(gpu, 640, 1)
    assert gpus.epoch_gpu_seconds(h100, 640) < gpus.epoch_gpu_seconds(gpu, 640)
    assert gpus.cost_micro_usd(gpu, 640, -1) == 0


def test_the_catalogue_and_regions_are_complete_and_unique() -> None:
    assert len(gpus.GPU_IDS) == len(set(gpus.GPU_IDS)) == 12 and gpus.DEFAULT_GPU in gpus.GPU_IDS
    assert len(regions.REGIONS) == len(set(regions.REGIONS)) == 42
    assert regions.is_region("us-central1") and not regions.is_region("us-central9")


def test_metric_curves_are_deterministic_rise_and_fall() -> None:
    first, last = metrics_at("model_a", 1, 50), metrics_at("model_a", 50, 50)
    assert metrics_at("model_a", 50, 50) == last
    assert metrics_at("model_b", 50, 50) != last
    assert last["mAP50"] > first["mAP50"] and last["mAP50-95"] < last["mAP50"]
    assert last["box_loss"] < first["box_loss"] and last["cls_loss"] < first["cls_loss"]
    assert all(0 <= last[key] <= 1 for key in ("mAP50", "mAP50-95", "precision", "recall"))
    assert set(metrics_at("model_a", 5, 10, "classify")) == {"accuracy_top1", "accuracy_top5", "cls_loss"}


def test_trained_weights_pass_the_models_checkpoint_check(tmp_path: Path) -> None:
    content = artifacts.checkpoint_bytes("model_x", "training_y", 3, {"mAP50": 0.5})
    assert content == artifacts.checkpoint_bytes("model_x", "training_y", 3, {"mAP50": 0.5})
    path = tmp_path / "best.pt"
    path.write_bytes(content)
    check_checkpoint(path)  # raises when the layout is wrong
    assert "best/data.pkl" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_export_files_name_their_format_and_source() -> None:
    text = artifacts.export_bytes("onnx", "ab" * 32, {"imgsz": 320}, "model_x").decode()
    assert "format: onnx" in text and f"source-sha256: {'ab' * 32}" in text and '"imgsz": 320' in text
    assert artifacts.export_filename("yolo", "onnx") == "yolo.onnx"
    assert artifacts.export_filename("yolo", "saved_model") == "yolo_saved_model.zip"
    assert len(artifacts.EXPORT_FORMATS) == 17


def test_telemetry_is_zero_unless_ready_and_grows_with_time() -> None:
    idle = telemetry.metrics(telemetry.Serving("deployment_a", 0.0, False, 1, 2, 0, 1))
    short = telemetry.metrics(telemetry.Serving("deployment_a", 60.0, True, 1, 2, 0, 3))
    long = telemetry.metrics(telemetry.Serving("deployment_a", 600.0, True, 1, 2, 0, 3))
    assert (idle["totalRequests"], idle["instanceCount"], idle["avgLatencyMs"]) == (0, 0, 0.0)
    assert 0 < short["totalRequests"] < long["totalRequests"]
    assert short == telemetry.metrics(telemetry.Serving("deployment_a", 60.0, True, 1, 2, 0, 3))
    assert telemetry.at_least("WARNING") == ("WARNING", "ERROR")


def test_resources_defaults_and_bounds() -> None:
    assert Resources.checked({}) == Resources(1, 2, 0, 1)
    assert Resources.checked({"cpu": None, "maxInstances": 4}).max_instances == 4
    for bad in ({"cpu": 9}, {"memoryGi": 0}, {"minInstances": 3, "maxInstances": 2}, {"cpu": True}):
        with pytest.raises(InvalidRequest):
            Resources.checked(bad)


def test_webhook_bodies_and_signatures() -> None:
    body = encode_event("export.completed", "2026-01-01T00:00:00.000Z", {"exportId": "export_1"})
    assert json.loads(body) == {
        "event": "export.completed",
        "timestamp": "2026-01-01T00:00:00.000Z",
        "data": {"exportId": "export_1"},
    }
    assert sign("s", body) == hmac.new(b"s", body, hashlib.sha256).hexdigest()
    assert sign("s", body) != sign("t", body)
