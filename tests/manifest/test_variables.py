"""Variable values: --var beats --var-file beats ULPLAN_VAR_ beats the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.manifest.helpers import errors, load, write

MANIFEST = """\
variables:
  env: {default: from-default}
  replicas: {type: number, default: 1}
  public: {type: bool, default: false}
projects:
  p:
    description: env=${var.env}
deployments:
  api:
    model: {id: model_1}
    region: us-central1
    maxInstances: ${var.replicas}
"""


def description(folder: Path, **options: object) -> str:
    loaded = load(folder, **options)
    assert not loaded.has_errors, errors(loaded)
    value = loaded.resources["project.p"].spec.description
    assert isinstance(value, str)
    return value


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {"m/main.yaml": MANIFEST, "one.yaml": "env: from-file-one\n", "two.yaml": "env: from-file-two\n"},
    )
    return tmp_path


def test_default_is_used_last(folder: Path) -> None:
    assert description(folder / "m") == "env=from-default"


def test_environment_beats_default(folder: Path) -> None:
    assert description(folder / "m", environ={"ULPLAN_VAR_env": "from-env"}) == "env=from-env"


def test_var_file_beats_environment_and_later_file_wins(folder: Path) -> None:
    files = [folder / "one.yaml", folder / "two.yaml"]
    got = description(folder / "m", environ={"ULPLAN_VAR_env": "from-env"}, var_files=files)
    assert got == "env=from-file-two"


def test_var_beats_everything(folder: Path) -> None:
    got = description(
        folder / "m",
        environ={"ULPLAN_VAR_env": "from-env"},
        var_files=[folder / "one.yaml"],
        variables={"env": "from-var"},
    )
    assert got == "env=from-var"


def test_whole_string_variable_keeps_its_type(folder: Path) -> None:
    loaded = load(folder / "m", variables={"replicas": "7"})
    assert loaded.resources["deployment.api"].spec.maxInstances == 7  # type: ignore[union-attr]


def test_bad_number_from_var_is_an_error(folder: Path) -> None:
    loaded = load(folder / "m", variables={"replicas": "seven"})
    assert errors(loaded) == [
        'variable "replicas" from --var replicas: expected a number, got "seven" (type number)'
    ]


def test_undeclared_var_is_an_error_with_a_hint(folder: Path) -> None:
    loaded = load(folder / "m", variables={"evn": "x"})
    assert errors(loaded) == ['--var "evn" sets a variable that is not declared']
    assert loaded.diagnostics[0].detail == 'Did you mean "env"?'


def test_undeclared_name_in_var_file_is_a_warning(folder: Path) -> None:
    (folder / "extra.yaml").write_text("other: 1\n", encoding="utf-8")
    loaded = load(folder / "m", var_files=[folder / "extra.yaml"])
    assert not loaded.has_errors
    assert [w.summary for w in loaded.warnings] == ['var file sets "other", which no manifest declares']


def test_var_files_inside_the_manifest_folder_are_not_manifests(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": MANIFEST, "env/prod.yaml": "env: prod\n"})
    loaded = load(tmp_path, var_files=[tmp_path / "env" / "prod.yaml"])
    assert not loaded.has_errors, errors(loaded)
    assert [f.name for f in loaded.files] == ["main.yaml"]


def test_variable_without_value_names_itself(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "variables:\n  token: {}\nprojects:\n  p: {description: '${var.token}'}\n"})
    loaded = load(tmp_path)
    assert errors(loaded) == ['variable "token" has no value']


def test_env_interpolation(tmp_path: Path) -> None:
    write(tmp_path, {"main.yaml": "projects:\n  p: {description: 'by ${env.TEAM}'}\n"})
    loaded = load(tmp_path, environ={"TEAM": "vision"})
    assert loaded.resources["project.p"].spec.description == "by vision"  # type: ignore[union-attr]


def test_bool_variable_accepts_cli_words(folder: Path) -> None:
    loaded = load(folder / "m", variables={"public": "yes"})
    assert loaded.variables["public"] is True


@pytest.mark.parametrize("written", ["${env.ULTRALYTICS_API_KEY}", "ul_" + "ab" * 20])
def test_an_api_key_is_refused_and_never_echoed(tmp_path: Path, written: str) -> None:
    key = "ul_" + "ab" * 20
    write(tmp_path, {"main.yaml": f"projects:\n  p: {{description: 'key {written}'}}\n"})
    loaded = load(tmp_path, environ={"ULTRALYTICS_API_KEY": key})
    assert errors(loaded) == ["this value holds what looks like an Ultralytics API key"]
    assert all(key not in d.format() for d in loaded.diagnostics)
