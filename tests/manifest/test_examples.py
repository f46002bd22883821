"""Every example validates, through the CLI, and matches the committed JSON Schema."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ulplan.cli.main import cli
from ulplan.manifest.diagnostics import Diagnostics
from ulplan.manifest.discovery import find_files

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GITOPS = EXAMPLES / "gitops"
SCHEMA = REPO / "schema" / "ulplan.schema.json"

INVOCATIONS = {
    "quickstart": [str(EXAMPLES / "quickstart")],
    "gitops-staging": [str(GITOPS / "manifests"), "--var-file", str(GITOPS / "env" / "staging.yaml")],
    "gitops-production": [str(GITOPS / "manifests"), "--var-file", str(GITOPS / "env" / "production.yaml")],
}


@pytest.mark.parametrize("name", sorted(INVOCATIONS))
def test_example_validates(name: str) -> None:
    result = CliRunner().invoke(cli, ["validate", *INVOCATIONS[name]])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Valid: ")


def manifest_files() -> list[Path]:
    folders = [EXAMPLES / "quickstart", GITOPS / "manifests"]
    return find_files(folders, [], Diagnostics())


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    relative = Path("../" * (len(path.relative_to(REPO).parts) - 1)) / "schema" / "ulplan.schema.json"
    assert first == f"# yaml-language-server: $schema={relative.as_posix()}"
    assert (path.parent / relative).resolve() == SCHEMA


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_passes_the_json_schema(path: Path) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # installed with schemathesis
    validator = jsonschema_rs.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [error.message for error in validator.iter_errors(document)] == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    good = {"deployments": {"api": {"model": "m", "region": "${var.region}", "maxInstances": "${var.n}"}}}
    assert validator.is_valid(good)
    for bad in (
        {"deployments": {"api": {"model": "m", "region": "mars"}}},
        {"deployments": {"api": {"model": "m", "region": "us-east1", "cpu": 9}}},
        {"projects": {"p": {"colour": "red"}}},
        {"models": {"m": {"project": {"name": "p"}, "file": "x.pt"}}},
        {"projets": {}},
    ):
        assert not validator.is_valid(bad), bad


def test_quickstart_weights_are_a_small_checkpoint_layout(tmp_path: Path) -> None:
    weights = EXAMPLES / "quickstart" / "weights" / "yolo11n.pt"
    assert weights.stat().st_size < 4096
    with zipfile.ZipFile(weights) as archive:
        assert sorted(archive.namelist()) == ["yolo11n/data.pkl", "yolo11n/version"]
    # The committed file is exactly what the script makes, so it can be regenerated.
    script = weights.with_name("make_weights.py")
    spec = importlib.util.spec_from_file_location("make_weights", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(tmp_path / "again.pt")
    assert (tmp_path / "again.pt").read_bytes() == weights.read_bytes()


def test_workflow_plans_on_pull_requests_and_applies_on_main() -> None:
    workflow = yaml.safe_load((GITOPS / ".github" / "workflows" / "ulplan.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]
    text = json.dumps(workflow)
    assert "--detailed-exitcode" in text and "--format markdown" in text and "--auto-approve" in text
