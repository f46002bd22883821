"""The client against the real emulator on loopback: every group's happy path."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.emulator import Emulator
from ulplan.client import PlatformClient
from ulplan.client import errors as e


@pytest.fixture
def client(emulator: Emulator) -> Iterator[PlatformClient]:
    with PlatformClient(api_key=emulator.key, base_url=emulator.url) as platform:
        yield platform


def checkpoint(path: Path, size: int = 200_000) -> Path:
    """A file shaped like a torch checkpoint: a zip holding ``<folder>/data.pkl``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("weights/data.pkl", b"\x80\x02}q\x00." + bytes(size))
    path.write_bytes(buffer.getvalue())
    return path


def test_account_summary_names_the_owner(client: PlatformClient) -> None:
    summary = client.account.summary()
    assert summary.username == "user1"
    assert summary.counts is not None and summary.counts.projects == 0


def test_projects_round_trip_through_the_trash(client: PlatformClient) -> None:
    project = client.projects.create("Detection", description="first", tags=["a"])
    assert (project.slug, project.description, project.tags) == ("detection", "first", ["a"])
    updated = client.projects.update(project.id, description="second")
    assert updated.description == "second" and updated.name == "Detection"
    assert client.projects.get(project.id).description == "second"
    assert [p.id for p in client.projects.list()] == [project.id]
    client.projects.delete(project.id)
    with pytest.raises(e.NotFoundError):
        client.projects.get(project.id)
    assert [item.id for item in client.trash.list(type="project")] == [project.id]
    client.trash.restore(project.id, "project")
    assert client.projects.get(project.id).slug == "detection"
    with pytest.raises(e.ConflictError):
        client.projects.create("Detection")


def test_datasets_create_update_and_export(client: PlatformClient) -> None:
    dataset = client.datasets.create("Traffic", task="detect", class_names=["car", "bus"])
    assert dataset.task == "detect" and dataset.classNames == ["car", "bus"]
    assert client.datasets.update(dataset.id, description="cams").description == "cams"
    with pytest.raises(e.ValidationError) as caught:
        client.datasets.update(dataset.id, task="segment")
    assert caught.value.status == 400
    export = client.datasets.export(dataset.id)
    assert export.url.startswith("http")
    assert [d.id for d in client.datasets.list(task="detect")] == [dataset.id]
    assert list(client.datasets.list(task="pose")) == []


def test_models_upload_streamed_then_download_checked(client: PlatformClient, tmp_path: Path) -> None:
    weights = checkpoint(tmp_path / "yolo.pt")
    project = client.projects.create("Models")
    seen: list[tuple[int, int]] = []
    model = client.models.create(
        project_id=project.id, name="Yolo", file=weights, progress=lambda *p: seen.append(p)
    )
    assert model.fileSha256 == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert seen[-1] == (weights.stat().st_size, weights.stat().st_size)
    files = client.models.files(model.id)
    assert any(f.sha256 == model.fileSha256 for f in files)
    target = client.models.download(model.id, tmp_path / "copy.pt")
    assert target.read_bytes() == weights.read_bytes()
    assert client.models.update(model.id, description="v1").description == "v1"
    assert [m.id for m in client.models.list(project_id=project.id)] == [model.id]
    client.models.delete(model.id)
    assert list(client.models.list(project_id=project.id)) == []


def test_predict_is_not_emulated_and_not_retried(client: PlatformClient, tmp_path: Path) -> None:
    project = client.projects.create("Predict")
    model = client.models.create(project_id=project.id, name="Yolo", file=checkpoint(tmp_path / "y.pt"))
    image = tmp_path / "bus.jpg"
    image.write_bytes(b"\xff\xd8\xff" + bytes(100))
    client.stats.reset()
    with pytest.raises(e.APIError) as caught:
        client.models.predict(model.id, image, conf=0.5)
    assert caught.value.status == 501
    assert client.stats.requests_by_method == {"POST": 1}


def test_training_runs_to_completion_and_bills(client: PlatformClient) -> None:
    project = client.projects.create("Train")
    dataset = client.datasets.create("Data", task="detect", class_names=["car"])
    model = client.models.create(project_id=project.id, name="Untrained", task="detect")
    assert model.status == "untrained"
    assert client.training.status(model.id) is None
    gpus = client.training.gpu_types()
    assert any(gpu.id == "rtx-4090" for gpu in gpus)
    started = client.training.start(model_id=model.id, dataset_id=dataset.id, epochs=3, gpu_type="rtx-4090")
    assert started.modelId == model.id
    assert started.estimatedCost is not None and (started.estimatedCost.costMicroUsd or 0) > 0
    status = client.training.wait(model.id, timeout=20, interval=0.02)
    assert status is not None and status.progress is not None and status.progress.currentEpoch == 3
    with pytest.raises(e.ConflictError):
        client.training.cancel(model.id)
    assert any(p.type == "charge" for p in client.billing.payments())


def test_training_can_be_cancelled(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(epoch_seconds=5.0)
    with PlatformClient(api_key=emulator.key, base_url=emulator.url) as client:
        project = client.projects.create("Train")
        dataset = client.datasets.create("Data", task="detect")
        model = client.models.create(project_id=project.id, name="M", task="detect")
        client.training.start(model_id=model.id, dataset_id=dataset.id, epochs=50)
        with pytest.raises(e.ConflictError):
            client.training.start(model_id=model.id, dataset_id=dataset.id, epochs=50)
        client.training.cancel(model.id)
        status = client.training.status(model.id)
        assert status is not None and status.status == "cancelled"


def test_exports_complete_and_download(client: PlatformClient, tmp_path: Path) -> None:
    project = client.projects.create("Export")
    model = client.models.create(project_id=project.id, name="Yolo", file=checkpoint(tmp_path / "y.pt"))
    export = client.exports.create(model_id=model.id, format="onnx")
    assert export.status == "queued"
    done = client.exports.wait(export.id, timeout=20, interval=0.02)
    assert done.status == "completed"
    assert [x.id for x in client.exports.list(model_id=model.id)] == [export.id]
    path = client.exports.download(done.id, tmp_path)
    assert path.stat().st_size == (done.file.size if done.file else None)
    client.exports.delete(export.id)
    with pytest.raises(e.NotFoundError):
        client.exports.get(export.id)


def test_deployments_lifecycle(client: PlatformClient, tmp_path: Path) -> None:
    project = client.projects.create("Serve")
    model = client.models.create(project_id=project.id, name="Yolo", file=checkpoint(tmp_path / "y.pt"))
    deployment = client.deployments.create(
        model_id=model.id, name="api", region="us-central1", max_instances=2
    )
    assert deployment.resources is not None and deployment.resources.maxInstances == 2
    ready = client.deployments.wait(deployment.id, timeout=20, interval=0.02)
    assert ready.status == "ready"
    resized = client.deployments.update(ready.id, cpu=2)
    assert resized.resources is not None and resized.resources.cpu == 2 and resized.url == ready.url
    client.deployments.stop(ready.id)
    assert client.deployments.wait(ready.id, "stopped", timeout=20, interval=0.02).status == "stopped"
    client.deployments.start(ready.id)
    assert client.deployments.wait(ready.id, timeout=20, interval=0.02).status == "ready"
    assert client.deployments.metrics(ready.id).totalRequests is not None
    everything = client.deployments.logs(ready.id)
    warnings = client.deployments.logs(ready.id, severity="WARNING")
    assert len(everything) > len(warnings)
    assert all(entry.severity in ("WARNING", "ERROR") for entry in warnings)
    assert len(client.deployments.logs(ready.id, limit=1)) == 1
    assert [d.id for d in client.deployments.list(model_id=model.id)] == [ready.id]
    client.deployments.delete(ready.id)
    with pytest.raises(e.NotFoundError):
        client.deployments.get(ready.id)


def test_activity_can_be_read_marked_and_archived(client: PlatformClient) -> None:
    client.projects.create("One")
    events = list(client.activity.list())
    assert events and events[0].action == "created" and events[0].seen is False
    client.activity.mark_seen([events[0].id])
    assert next(x for x in client.activity.list() if x.id == events[0].id).seen is True
    client.activity.archive(all=True)
    page = client.activity.page(limit=5)
    assert page.meta.limit == 5


def test_billing_storage_and_usage(client: PlatformClient) -> None:
    balance = client.billing.balance()
    assert balance.totalBalance is not None and balance.totalBalance > 0
    assert client.billing.usage_summary().plan == "pro"
    assert client.storage.get().limit == 500_000_000_000
    session = client.billing.checkout_session(10)
    assert session.url.startswith("http") and session.sessionId
    with pytest.raises(e.ValidationError):
        client.billing.checkout_session(1)


def test_api_keys_create_use_and_revoke(client: PlatformClient, emulator: Emulator) -> None:
    created = client.api_keys.create("ci", ["read"])
    assert created.key and created.key.startswith("ul_") and created.key not in repr(created)
    assert created.id in {k.id for k in client.api_keys.list()}
    with PlatformClient(api_key=created.key, base_url=emulator.url) as reader:
        assert reader.account.summary().username == "user1"
        with pytest.raises(e.ForbiddenError):
            reader.projects.create("Not allowed")
        client.api_keys.delete(created.id)
        with pytest.raises(e.UnauthorizedError):
            reader.account.summary()


def test_gdpr_export_then_delete(emulator: Emulator) -> None:
    with PlatformClient(api_key=emulator.keys[1], base_url=emulator.url) as client:
        client.projects.create("Mine")
        export = client.gdpr.export()
        assert [p["name"] for p in export.model_dump()["projects"]] == ["Mine"]
        client.gdpr.delete()
        with pytest.raises(e.UnauthorizedError):
            client.account.summary()


def test_an_unknown_key_is_unauthorized(emulator: Emulator) -> None:
    with PlatformClient(api_key="ul_" + "f" * 40, base_url=emulator.url) as client:
        with pytest.raises(e.UnauthorizedError) as caught:
            client.projects.page()
    assert caught.value.status == 401
    assert "f" * 40 not in str(caught.value)


def test_list_reads_250_items_in_three_pages(client: PlatformClient) -> None:
    for number in range(250):
        client.datasets.create(f"Set {number}", task="classify")
    client.stats.reset()
    names = [d.name for d in client.datasets.list()]
    assert sorted(names) == sorted(f"Set {n}" for n in range(250))
    assert client.stats.requests_by_method == {"GET": 3}
    page = client.datasets.page(page=3, limit=100)
    assert (len(page.items), page.meta.total) == (50, 250)
