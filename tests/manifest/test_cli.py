"""``ulplan validate`` and ``ulplan schema`` through click, and the shared options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.manifest.helpers import VALID, write
from ulplan.cli.main import cli
from ulplan.cli.manifest_commands import load_or_fail, parse_vars
from ulplan.manifest import ManifestError
from ulplan.manifest.schema import render

REPO = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_valid_prints_a_one_line_summary(tmp_path: Path) -> None:
    code, out, err = invoke("validate", str(write(tmp_path, {"main.yaml": VALID})))
    assert (code, err) == (0, "")
    assert (
        out
        == "Valid: 1 file, 5 resources (1 project, 1 dataset, 1 model, 1 export, 1 deployment), 1 output.\n"
    )


def test_validate_invalid_prints_every_diagnostic_to_stderr(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "projects:\n  p: {colour: red}\n  q: {visibility: open}\n"})
    code, out, err = invoke("validate", str(tmp_path))
    assert code == 1 and out == ""
    assert 'unknown key "colour"' in err and '"open" is not a known visibility' in err
    assert err.endswith("Invalid: 2 error(s), 0 warning(s).\n")


def test_validate_json(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "projects:\n  p: {colour: red}\n"})
    code, out, _err = invoke("validate", "--json", str(tmp_path))
    payload = json.loads(out)
    assert code == 1 and payload["valid"] is False
    assert payload["diagnostics"] == [
        {
            "severity": "error",
            "summary": 'project.p: unknown key "colour"',
            "detail": "Valid keys: description, license, lifecycle, name, slug, tags, visibility",
            "file": str(tmp_path / "main.yaml"),
            "line": 2,
            "column": 7,
        }
    ]


def test_validate_passes_vars_and_var_files(tmp_path: Path) -> None:
    text = "variables:\n  a: {}\n  b: {}\nprojects:\n  p: {description: '${var.a} ${var.b}'}\n"
    write(tmp_path, {"m/main.yaml": text, "vars.yaml": "b: 2\n"})
    code, out, err = invoke(
        "validate", str(tmp_path / "m"), "--var", "a=1", "--var-file", str(tmp_path / "vars.yaml")
    )
    assert code == 0, err
    code, _out, err = invoke("validate", str(tmp_path / "m"), "--var", "a=1")
    assert code == 1 and 'variable "b" has no value' in err


def test_validate_allow_outside_files(tmp_path: Path) -> None:
    (tmp_path / "w.pt").write_bytes(b"w")
    write(tmp_path, {"m/main.yaml": "projects:\n  p: {}\nmodels:\n  m: {project: p, file: ../w.pt}\n"})
    assert invoke("validate", str(tmp_path / "m"))[0] == 1
    assert invoke("validate", str(tmp_path / "m"), "--allow-outside-files")[0] == 0


def test_parse_vars() -> None:
    assert parse_vars(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(click.BadParameter):
        parse_vars(["novalue"])


def test_load_or_fail_raises_with_every_diagnostic(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "projects:\n  p: {colour: red}\n  q: {size: 1}\n"})
    with pytest.raises(ManifestError) as caught:
        load_or_fail([tmp_path], (), (), False)
    assert len(caught.value.diagnostics) == 2


def test_schema_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert invoke("schema", "--check", "--out", str(out))[0] == 1
    code, stdout, _ = invoke("schema", "--out", str(out))
    assert code == 0 and (out / "ulplan.schema.json").read_text(encoding="utf-8") == render()
    assert invoke("schema", "--check", "--out", str(out))[0] == 0


def test_committed_schema_is_current() -> None:
    assert (REPO / "schema" / "ulplan.schema.json").read_text(encoding="utf-8") == render()


def test_schema_is_draft_2020_12_with_id_and_titles() -> None:
    schema = json.loads(render())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]
    assert all("description" in block for name, block in schema["$defs"].items() if name.endswith("Block"))


def test_exit_status_of_a_real_process(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "projects:\n  P: {}\n"})
    done = subprocess.run(
        [sys.executable, "-m", "ulplan", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "is not a valid platform slug" in done.stderr


def test_validate_imports_no_http_stack() -> None:
    code = (
        "import sys\n"
        "from ulplan.cli.main import main\n"
        "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('httpx', 'fastapi', 'uvicorn', 'rich') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "examples" / "quickstart")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
