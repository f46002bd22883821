"""Where the key and the base URL come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ulplan.client import PlatformClient
from ulplan.client.config import (
    key_from_settings,
    resolve_api_key,
    resolve_base_url,
    settings_file,
    ultralytics_config_dir,
)
from ulplan.client.errors import InvalidEndpointError, MissingAPIKeyError

ARG_KEY = "ul_" + "a" * 40
ENV_KEY = "ul_" + "b" * 40
FILE_KEY = "ul_" + "c" * 40


@pytest.fixture
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ultralytics config dir (YOLO_CONFIG_DIR) and no key in the environment."""
    folder = tmp_path / "Ultralytics"
    folder.mkdir()
    monkeypatch.setenv("YOLO_CONFIG_DIR", str(folder))
    monkeypatch.delenv("ULTRALYTICS_API_KEY", raising=False)
    monkeypatch.delenv("ULTRALYTICS_PLATFORM_URL", raising=False)
    return folder


def write_settings(folder: Path, **values: object) -> None:
    (folder / "settings.json").write_text(json.dumps({"settings_version": "0.0.6", **values}))


def test_the_argument_wins(settings_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ULTRALYTICS_API_KEY", ENV_KEY)
    write_settings(settings_dir, api_key=FILE_KEY)
    assert resolve_api_key(ARG_KEY).reveal() == ARG_KEY


def test_the_environment_comes_next(settings_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ULTRALYTICS_API_KEY", ENV_KEY)
    write_settings(settings_dir, api_key=FILE_KEY)
    assert resolve_api_key().reveal() == ENV_KEY


def test_then_the_key_yolo_login_saved(settings_dir: Path) -> None:
    write_settings(settings_dir, api_key=FILE_KEY)
    assert resolve_api_key().reveal() == FILE_KEY
    client = PlatformClient(base_url="https://x.test")
    client.close()


@pytest.mark.parametrize("content", ["", "{not json", '["a list"]', '{"api_key": ""}', '{"api_key": 5}'])
def test_an_unusable_settings_file_holds_no_key(settings_dir: Path, content: str) -> None:
    (settings_dir / "settings.json").write_text(content)
    assert key_from_settings(settings_dir / "settings.json") is None


def test_a_missing_key_names_all_three_places(settings_dir: Path) -> None:
    with pytest.raises(MissingAPIKeyError) as caught:
        PlatformClient()
    message = str(caught.value)
    assert "api_key=" in message
    assert "ULTRALYTICS_API_KEY" in message
    assert "yolo login" in message
    assert str(settings_dir / "settings.json") in message


def test_yolo_config_dir_moves_the_settings_file(tmp_path: Path) -> None:
    env = {"YOLO_CONFIG_DIR": str(tmp_path / "cfg")}
    assert settings_file(env) == tmp_path / "cfg" / "settings.json"


@pytest.mark.parametrize(
    ("system", "tail"),
    [
        ("Linux", (".config", "Ultralytics")),
        ("Darwin", ("Library", "Application Support", "Ultralytics")),
        ("Windows", ("AppData", "Roaming", "Ultralytics")),
    ],
)
def test_the_settings_dir_follows_the_os(
    system: str, tail: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    for part in tail[:-1]:
        (tmp_path.joinpath(*tail[: tail.index(part) + 1])).mkdir(exist_ok=True)
    assert ultralytics_config_dir({}, system=system) == tmp_path.joinpath(*tail)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://127.0.0.1:8787/", "http://127.0.0.1:8787"),
        ("https://platform.ultralytics.com/api", "https://platform.ultralytics.com"),
        ("https://platform.ultralytics.com/api/", "https://platform.ultralytics.com"),
    ],
)
def test_base_urls_are_normalised(given: str, expected: str) -> None:
    assert resolve_base_url(given, env={}) == expected


def test_base_url_from_environment_then_default() -> None:
    assert resolve_base_url(env={"ULTRALYTICS_PLATFORM_URL": "http://emu:1"}) == "http://emu:1"
    assert resolve_base_url(env={}) == "https://platform.ultralytics.com"
    assert (
        resolve_base_url("http://arg:2", env={"ULTRALYTICS_PLATFORM_URL": "http://emu:1"}) == "http://arg:2"
    )


@pytest.mark.parametrize("bad", ["platform.ultralytics.com", "ftp://x.test", "http://"])
def test_a_base_url_that_is_not_http_is_refused(bad: str) -> None:
    with pytest.raises(InvalidEndpointError, match="ULTRALYTICS_PLATFORM_URL"):
        resolve_base_url(bad, env={})
