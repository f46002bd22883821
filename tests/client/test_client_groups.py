"""What each group sends and how it reads the answers (mock platform)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.client.client_fakes import KEY, Recorder, fail, json_body, ok
from ulplan.client import PlatformClient
from ulplan.client.errors import ChecksumMismatchError, ForbiddenError, UnexpectedResponseError
from ulplan.client.groups.base import camel

Build = Callable[..., PlatformClient]


def test_create_sends_camel_case_and_omits_what_was_not_given(make_client: Build) -> None:
    platform = Recorder(ok({"id": "dataset_1", "name": "Traffic", "classNames": ["car"]}, status=201))
    dataset = make_client(platform).datasets.create("Traffic", task="detect", class_names=["car"])
    assert json_body(platform.requests[0]) == {"name": "Traffic", "task": "detect", "classNames": ["car"]}
    assert dataset.classNames == ["car"]


def test_update_sends_only_the_given_fields_including_explicit_nulls(make_client: Build) -> None:
    platform = Recorder(ok({"id": "deployment_1", "resources": {"cpu": 2, "memoryGi": 4}}))
    deployment = make_client(platform).deployments.update("deployment_1", memory_gi=4, name=None)
    request = platform.requests[0]
    assert (request.method, request.url.path) == ("PATCH", "/api/deployments/deployment_1")
    assert json_body(request) == {"memoryGi": 4, "name": None}
    assert deployment.resources is not None and deployment.resources.memoryGi == 4


def test_list_walks_every_page_with_the_largest_limit(make_client: Build) -> None:
    def platform(request: httpx.Request) -> httpx.Response:
        page, limit = int(request.url.params["page"]), int(request.url.params["limit"])
        ids = list(range(250))[(page - 1) * limit : page * limit]
        assert request.url.params["projectId"] == "project_1"
        return ok([{"id": f"model_{i}"} for i in ids], meta={"page": page, "limit": limit, "total": 250})

    client = make_client(platform)
    models = list(client.models.list(project_id="project_1"))
    assert [m.id for m in models] == [f"model_{i}" for i in range(250)]
    assert client.stats.requests_by_method == {"GET": 3}


def test_list_stops_on_a_short_page_even_without_meta(make_client: Build) -> None:
    platform = Recorder(ok([{"id": "key_1", "name": "ci"}]))
    keys = list(make_client(platform).api_keys.list())
    assert [k.id for k in keys] == ["key_1"]
    assert len(platform.requests) == 1


def test_page_returns_items_and_meta(make_client: Build) -> None:
    platform = Recorder(ok([{"id": "project_1", "extra": 1}], meta={"page": 2, "limit": 1, "total": 7}))
    page = make_client(platform).projects.page(page=2, limit=1)
    assert page.meta.total == 7 and page.meta.page == 2
    assert page.items[0].model_dump()["extra"] == 1


def test_model_dump_is_the_raw_camel_case_object(make_client: Build) -> None:
    raw = {"id": "project_1", "name": "P", "modelCount": 3, "createdAt": "2026-01-01T00:00:00Z", "new": True}
    project = make_client(Recorder(ok(raw))).projects.get("project_1")
    dumped = project.model_dump()
    assert {key: dumped[key] for key in raw} == raw


def test_ids_are_escaped_into_one_path_segment(make_client: Build) -> None:
    platform = Recorder(ok({"id": "x"}))
    make_client(platform).projects.get("../api-keys")
    assert platform.requests[0].url.raw_path == b"/api/projects/..%2Fapi-keys"


def test_a_model_upload_streams_the_file_with_progress(make_client: Build, tmp_path: Path) -> None:
    weights = tmp_path / "yolo.pt"
    weights.write_bytes(b"\x00weights" * 300_000)  # 2.4 MB: several chunks
    platform = Recorder(ok({"id": "model_1", "fileSize": weights.stat().st_size}, status=201))
    seen: list[tuple[int, int]] = []
    client = make_client(platform)
    model = client.models.create(
        project_id="project_1", name="M", file=weights, progress=lambda *p: seen.append(p)
    )
    request = platform.requests[0]
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert int(request.headers["Content-Length"]) > weights.stat().st_size
    assert weights.read_bytes() in request.content
    assert b'name="projectId"' in request.content and b'filename="yolo.pt"' in request.content
    assert len(seen) > 1 and seen[-1] == (weights.stat().st_size, weights.stat().st_size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert model.id == "model_1"


def test_a_model_without_a_file_is_created_untrained(make_client: Build) -> None:
    platform = Recorder(ok({"id": "model_1", "status": "untrained"}, status=201))
    model = make_client(platform).models.create(project_id="project_1", name="M", task="detect")
    request = platform.requests[0]
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    form = request.content.decode()
    assert 'name="projectId"\r\n\r\nproject_1' in form and 'name="task"\r\n\r\ndetect' in form
    assert "filename" not in form
    assert model.status == "untrained"


def _files_answer(content: bytes, url: str, sha: str | None = None) -> httpx.Response:
    digest = sha or hashlib.sha256(content).hexdigest()
    entry = {"name": "best.pt", "size": len(content), "sha256": digest, "url": url}
    return ok({"files": [{"name": "args.yaml", "url": url + "?yaml"}, entry]})


def test_a_download_streams_to_a_file_and_checks_its_sha256(make_client: Build, tmp_path: Path) -> None:
    content = b"weights" * 100_000
    platform = Recorder(
        _files_answer(content, "/files/model_1/best.pt"), httpx.Response(200, content=content)
    )
    seen: list[tuple[int, int]] = []
    path = make_client(platform).models.download("model_1", tmp_path, progress=lambda *p: seen.append(p))
    assert path == tmp_path / "best.pt"
    assert path.read_bytes() == content
    assert seen[-1] == (len(content), len(content))
    download = platform.requests[1]
    assert download.url.path == "/files/model_1/best.pt"
    assert download.headers["Authorization"] == f"Bearer {KEY}"


def test_a_download_from_another_host_never_gets_the_key(make_client: Build, tmp_path: Path) -> None:
    content = b"w" * 10
    signed = "https://storage.example/bucket/best.pt?sig=1"
    platform = Recorder(_files_answer(content, signed), httpx.Response(200, content=content))
    make_client(platform).models.download("model_1", tmp_path / "out.pt")
    assert "Authorization" not in platform.requests[1].headers
    assert (tmp_path / "out.pt").read_bytes() == content


def test_a_corrupt_download_is_refused_and_leaves_nothing(make_client: Build, tmp_path: Path) -> None:
    platform = Recorder(_files_answer(b"x", "/f/best.pt", sha="0" * 64), httpx.Response(200, content=b"y"))
    with pytest.raises(ChecksumMismatchError):
        make_client(platform).models.download("model_1", tmp_path / "best.pt")
    assert list(tmp_path.iterdir()) == []


def test_training_status_is_none_for_a_model_never_trained(make_client: Build) -> None:
    platform = Recorder(
        ok(None), ok({"status": "running", "progress": {"currentEpoch": 2, "totalEpochs": 5}})
    )
    client = make_client(platform)
    assert client.training.status("model_1") is None
    status = client.training.status("model_1")
    assert status is not None and status.progress is not None and status.progress.currentEpoch == 2
    assert platform.requests[0].url.path == "/api/models/model_1/training"


def test_training_start_sends_its_arguments(make_client: Build) -> None:
    answer = ok(
        {"modelId": "model_1", "status": "starting", "estimatedCost": {"costMicroUsd": 5}}, status=201
    )
    platform = Recorder(answer)
    started = make_client(platform).training.start(
        model_id="model_1", dataset_id="dataset_1", epochs=3, image_size=320, train_args={"lr0": 0.01}
    )
    assert json_body(platform.requests[0]) == {
        "modelId": "model_1",
        "datasetId": "dataset_1",
        "epochs": 3,
        "imageSize": 320,
        "trainArgs": {"lr0": 0.01},
    }
    assert started.estimatedCost is not None and started.estimatedCost.costMicroUsd == 5


@pytest.mark.parametrize(
    ("call", "method", "path", "body"),
    [
        (lambda c: c.deployments.start("d1"), "POST", "/api/deployments/d1/start", None),
        (lambda c: c.deployments.stop("d1"), "POST", "/api/deployments/d1/stop", None),
        (lambda c: c.training.cancel("m1"), "DELETE", "/api/models/m1/training", None),
        (
            lambda c: c.trash.restore("project_1", "project"),
            "POST",
            "/api/trash",
            {"itemId": "project_1", "type": "project"},
        ),
        (lambda c: c.trash.empty(), "POST", "/api/trash/empty", None),
        (lambda c: c.activity.mark_seen(all=True), "POST", "/api/activity/mark-seen", {"all": True}),
        (
            lambda c: c.activity.archive(["event_1"]),
            "POST",
            "/api/activity/archive",
            {"eventIds": ["event_1"]},
        ),
        (lambda c: c.billing.checkout_session(20), "POST", "/api/billing/checkout-session", {"amount": 20}),
        (lambda c: c.gdpr.export(), "POST", "/api/gdpr", {"action": "export"}),
        (
            lambda c: c.api_keys.create("ci", ["read"]),
            "POST",
            "/api/api-keys",
            {"name": "ci", "scopes": ["read"]},
        ),
        (lambda c: c.api_keys.delete("key_1"), "DELETE", "/api/api-keys/key_1", None),
        (
            lambda c: c.exports.create(model_id="m1", format="onnx"),
            "POST",
            "/api/exports",
            {"modelId": "m1", "format": "onnx"},
        ),
        (lambda c: c.datasets.export("ds1"), "POST", "/api/datasets/ds1/export", None),
    ],
)
def test_each_verb_hits_its_endpoint(
    make_client: Build, call: Callable[[PlatformClient], Any], method: str, path: str, body: Any
) -> None:
    answer = {"id": "d1", "url": "https://x.test/u", "modelId": "m1", "key": KEY, "name": "ci"}
    platform = Recorder(ok(answer))
    call(make_client(platform))
    request = platform.requests[0]
    assert (request.method, request.url.path) == (method, path)
    assert (json_body(request) if request.content else None) == body


@pytest.mark.parametrize(
    ("call", "path", "data", "check"),
    [
        (
            lambda c: c.billing.balance(),
            "/api/billing/balance",
            {"totalBalance": 5},
            lambda r: r.totalBalance == 5,
        ),
        (lambda c: c.storage.get(), "/api/storage", {"used": 1, "limit": 2}, lambda r: r.limit == 2),
        (
            lambda c: c.account.summary(),
            "/api/account/summary",
            {"username": "user1"},
            lambda r: r.username == "user1",
        ),
        (
            lambda c: c.billing.usage_summary(),
            "/api/billing/usage-summary",
            {"plan": "pro"},
            lambda r: r.plan == "pro",
        ),
        (
            lambda c: c.deployments.metrics("d1"),
            "/api/deployments/d1/metrics",
            {"totalRequests": 3},
            lambda r: r.totalRequests == 3,
        ),
        (
            lambda c: c.deployments.logs("d1"),
            "/api/deployments/d1/logs",
            {"entries": [{"message": "hi"}]},
            lambda r: r[0].message == "hi",
        ),
        (
            lambda c: c.models.files("m1"),
            "/api/models/m1/files",
            {"files": [{"name": "a.pt", "url": "/a"}]},
            lambda r: r[0].name == "a.pt",
        ),
        (
            lambda c: c.training.gpu_types(),
            "/api/training/gpu-types",
            [{"id": "rtx-4090", "pricePerHour": 0.7}],
            lambda r: r[0].id == "rtx-4090",
        ),
        (
            lambda c: c.billing.payments(),
            "/api/billing/payments",
            [{"id": "pay_1", "amountMicroUsd": -5}],
            lambda r: r[0].amountMicroUsd == -5,
        ),
    ],
)
def test_each_read_parses_its_answer(
    make_client: Build,
    call: Callable[[PlatformClient], Any],
    path: str,
    data: Any,
    check: Callable[[Any], bool],
) -> None:
    platform = Recorder(ok(data))
    assert check(call(make_client(platform)))
    assert (platform.requests[0].method, platform.requests[0].url.path) == ("GET", path)


def test_a_created_key_is_returned_but_not_shown_in_its_repr(make_client: Build) -> None:
    created = make_client(Recorder(ok({"id": "key_1", "name": "ci", "key": KEY}))).api_keys.create("ci")
    assert created.key == KEY
    assert KEY not in repr(created)


def test_an_answer_of_the_wrong_shape_is_a_platform_error(make_client: Build) -> None:
    client = make_client(Recorder(ok({"name": "no id"})))
    with pytest.raises(UnexpectedResponseError, match="Project"):
        client.projects.get("project_1")


def test_logs_pass_their_filters(make_client: Build) -> None:
    platform = Recorder(ok({"entries": []}))
    make_client(platform).deployments.logs("d1", severity="ERROR", limit=5)
    assert dict(platform.requests[0].url.params) == {"severity": "ERROR", "limit": "5"}


def test_a_failed_download_raises_the_platform_error(make_client: Build, tmp_path: Path) -> None:
    platform = Recorder(_files_answer(b"x", "/f/best.pt"), fail(403, "FORBIDDEN", "no models scope"))
    with pytest.raises(ForbiddenError, match="no models scope"):
        make_client(platform).models.download("model_1", tmp_path)


@given(st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8}){0,3}", fullmatch=True))
def test_camel_case_round_trips_to_snake_case(name: str) -> None:
    converted = camel(name)
    assert "_" not in converted
    assert "".join("_" + ch.lower() if ch.isupper() else ch for ch in converted) == name
    assert camel(converted) == converted


def test_an_unpaginated_list_is_read_once_however_long(make_client: Build) -> None:
    platform = Recorder(ok([{"id": f"key_{n}"} for n in range(150)]))
    keys = list(make_client(platform).api_keys.list())
    assert len(keys) == 150
    assert len(platform.requests) == 1


def test_a_safe_upload_is_sent_whole_again_on_retry(make_client: Build, tmp_path: Path) -> None:
    weights = tmp_path / "yolo.pt"
    weights.write_bytes(b"abc" * 1000)
    platform = Recorder(fail(503, "INTERNAL_ERROR"), ok({"id": "model_1"}, status=201))
    seen: list[tuple[int, int]] = []
    client = make_client(platform)
    client.models.create(
        project_id="p", name="M", file=weights, progress=lambda *p: seen.append(p), retry_safe=True
    )
    assert len(platform.requests) == 2
    assert all(weights.read_bytes() in request.content for request in platform.requests)
    assert seen.count((3000, 3000)) == 2
