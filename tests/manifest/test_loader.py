"""load_manifests end to end: discovery, resources, files, references, outputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.manifest.helpers import VALID, errors, load, write
from ulplan.manifest import LoadOptions, ManifestError, Ref, load_manifests
from ulplan.manifest.specs import DeploymentSpec, ModelSpec


def test_valid_manifest_gives_resources_graph_and_outputs(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, {"main.yaml": VALID}))
    assert not loaded.diagnostics
    assert loaded.root == tmp_path.resolve()
    assert loaded.graph.order() == [
        "project.detection",
        "dataset.traffic",
        "model.yolo",
        "export.onnx",
        "deployment.api",
    ]
    model = loaded.resources["model.yolo"]
    assert model.depends_on == {"project.detection", "dataset.traffic"}
    assert isinstance(model.spec, ModelSpec)
    assert model.spec.project == Ref(name="detection")
    assert model.spec.training is not None and model.spec.training.gpuType == "rtx-4090"
    assert loaded.outputs["url"].value == "${deployment.api.url}"
    assert loaded.summary() == (
        "1 file, 5 resources (1 project, 1 dataset, 1 model, 1 export, 1 deployment), 1 output"
    )


def test_resources_from_several_files_merge(tmp_path: Path) -> None:
    write(
        tmp_path, {"a.yaml": "projects:\n  p: {}\n", "sub/b.yml": "models:\n  m: {project: p, file: w.pt}\n"}
    )
    (tmp_path / "sub" / "w.pt").write_bytes(b"weights")
    loaded = load(tmp_path)
    assert not loaded.has_errors, errors(loaded)
    model = loaded.resources["model.m"]
    assert model.file_path == (tmp_path / "sub" / "w.pt").resolve()
    assert model.file_sha256 == hashlib.sha256(b"weights").hexdigest()
    assert [f.name for f in loaded.files] == ["a.yaml", "b.yml"]


def test_hidden_folders_and_other_suffixes_are_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.yaml": "projects:\n  p: {}\n",
            ".ulplan/state.yaml": "not: a manifest\n",
            ".github/workflows/ci.yml": "on: push\n",
            "notes.txt": "projects: broken: [",
        },
    )
    loaded = load(tmp_path)
    assert not loaded.diagnostics
    assert list(loaded.resources) == ["project.p"]


def test_a_file_path_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    write(tmp_path, {"manifest.txt": "projects:\n  p: {}\n"})
    loaded = load_manifests([tmp_path / "manifest.txt"], LoadOptions(environ={}))
    assert list(loaded.resources) == ["project.p"]
    assert loaded.root == tmp_path.resolve()


def test_root_is_the_common_folder(tmp_path: Path) -> None:
    write(tmp_path, {"a/x.yaml": "projects:\n  a: {}\n", "b/y.yaml": "projects:\n  b: {}\n"})
    loaded = load_manifests([tmp_path / "a", tmp_path / "b" / "y.yaml"], LoadOptions(environ={}))
    assert loaded.root == tmp_path.resolve()


def test_no_manifests_is_an_error(tmp_path: Path) -> None:
    assert errors(load(tmp_path)) == [f"no manifest files (*.yaml, *.yml) found in {tmp_path}"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    assert errors(load(tmp_path / "nope")) == [f"no such file or folder: {tmp_path / 'nope'}"]


def test_file_outside_the_root_needs_the_flag(tmp_path: Path) -> None:
    (tmp_path / "w.pt").write_bytes(b"w")
    write(tmp_path, {"m/main.yaml": "projects:\n  p: {}\nmodels:\n  m: {project: p, file: ../w.pt}\n"})
    assert errors(load(tmp_path / "m")) == ['model file "../w.pt" is outside the manifest folder']
    allowed = load(tmp_path / "m", allow_outside_files=True)
    assert not allowed.has_errors
    assert allowed.resources["model.m"].file_path == (tmp_path / "w.pt").resolve()


def test_symlink_escaping_the_root_is_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.pt").write_bytes(b"w")
    write(tmp_path, {"m/main.yaml": "projects:\n  p: {}\nmodels:\n  m: {project: p, file: link.pt}\n"})
    (tmp_path / "m" / "link.pt").symlink_to(tmp_path / "secret.pt")
    assert errors(load(tmp_path / "m")) == ['model file "link.pt" is outside the manifest folder']


def test_unmanaged_references_make_no_edges(tmp_path: Path) -> None:
    text = "deployments:\n  api: {model: {id: model_9}, region: us-east1}\n"
    loaded = load(write(tmp_path, {"main.yaml": text}))
    spec = loaded.resources["deployment.api"].spec
    assert isinstance(spec, DeploymentSpec)
    assert spec.model == Ref(id="model_9")
    assert spec.model.address("model") is None
    assert loaded.resources["deployment.api"].depends_on == frozenset()


def test_interpolation_edges_join_the_graph(tmp_path: Path) -> None:
    text = VALID.replace("detection: {}", "detection: {description: 'see ${dataset.traffic.uri}'}")
    loaded = load(write(tmp_path, {"main.yaml": text}))
    assert loaded.resources["project.detection"].depends_on == {"dataset.traffic"}
    assert loaded.graph.order()[:2] == ["dataset.traffic", "project.detection"]


def test_slug_and_name_override_the_key(tmp_path: Path) -> None:
    text = "projects:\n  Detection_v2: {slug: detection-v2, name: Detection v2}\n"
    resource = load(write(tmp_path, {"main.yaml": text})).resources["project.Detection_v2"]
    assert (resource.slug, resource.display_name) == ("detection-v2", "Detection v2")


def test_same_model_slug_in_two_projects_is_fine(tmp_path: Path) -> None:
    text = """\
    projects: {a: {}, b: {}}
    models:
      m1: {project: a, slug: yolo, training: {dataset: {id: d}, epochs: 1}}
      m2: {project: b, slug: yolo, training: {dataset: {id: d}, epochs: 1}}
    """
    assert not load(write(tmp_path, {"main.yaml": text})).has_errors


def test_lifecycle_is_read_and_ignore_changes_checked(tmp_path: Path) -> None:
    text = """\
    projects:
      p:
        lifecycle: {prevent_destroy: true, ignore_changes: [description, tgs]}
    """
    loaded = load(write(tmp_path, {"main.yaml": text}))
    assert errors(loaded) == ['project.p: ignore_changes names an unknown field "tgs"']
    assert loaded.diagnostics[0].detail == 'Did you mean "tags"?'


def test_lifecycle_defaults(tmp_path: Path) -> None:
    loaded = load(
        write(tmp_path, {"main.yaml": "projects:\n  p: {lifecycle: {create_before_destroy: true}}\n"})
    )
    lifecycle = loaded.resources["project.p"].lifecycle
    assert (lifecycle.prevent_destroy, lifecycle.ignore_changes, lifecycle.create_before_destroy) == (
        False,
        (),
        True,
    )


def test_raise_for_errors_carries_every_diagnostic(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, {"main.yaml": "projects:\n  p: {colour: red}\n  q: {size: 1}\n"}))
    with pytest.raises(ManifestError) as caught:
        loaded.raise_for_errors()
    assert len(caught.value.diagnostics) == 2
    assert 'unknown key "colour"' in str(caught.value) and 'unknown key "size"' in str(caught.value)


def test_diagnostic_format_and_json(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, {"main.yaml": "projects:\n  p: {visibility: hidden}\n"}))
    diagnostic = loaded.diagnostics[0]
    message = 'project.p: visibility: "hidden" is not a known visibility (one of public, private)'
    assert diagnostic.format() == f"{tmp_path / 'main.yaml'}:2:19: error: {message}"
    assert diagnostic.to_json()["line"] == 2 and diagnostic.to_json()["column"] == 19


def test_version_one_is_accepted(tmp_path: Path) -> None:
    assert not load(write(tmp_path, {"main.yaml": "version: 1\nprojects:\n  p: {}\n"})).diagnostics


def test_empty_file_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, {"empty.yaml": "", "main.yaml": "projects:\n  p: {}\n"})
    loaded = load(tmp_path)
    assert not loaded.diagnostics and len(loaded.files) == 2


def test_min_instances_above_the_default_max_is_reported(tmp_path: Path) -> None:
    text = "deployments:\n  a: {model: {id: m}, region: us-east1, minInstances: 3, cpu: 99}\n"
    assert errors(load(write(tmp_path, {"main.yaml": text}))) == [
        "deployment.a: maxInstances: 1 is less than minInstances (3); raise maxInstances",
        "deployment.a: cpu: Input should be less than or equal to 8",
    ]
