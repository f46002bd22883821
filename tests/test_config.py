"""Settings: flags over environment over defaults; the key stays out of repr."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ulplan.config import DEFAULT_ENDPOINT, Settings
from ulplan.errors import ConfigError

KEY = "ul_" + "cd" * 20


@dataclass
class Options:
    endpoint: str | None = None
    api_key: str | None = None
    state: str | None = None
    local: bool = False
    no_color: bool = False
    debug: bool = False


def test_defaults_without_flags_or_env() -> None:
    settings = Settings.resolve(Options(), env={})
    assert settings.endpoint == DEFAULT_ENDPOINT
    assert settings.api_key is None and not settings.has_api_key
    assert (settings.no_color, settings.debug, settings.local) == (False, False, False)


def test_flags_win_over_env() -> None:
    env = {"ULTRALYTICS_PLATFORM_URL": "http://env:1", "ULTRALYTICS_API_KEY": "ul_env"}
    settings = Settings.resolve(Options(endpoint="http://flag:2/", api_key="ul_flag"), env=env)
    assert (settings.endpoint, settings.api_key) == ("http://flag:2", "ul_flag")


def test_env_wins_over_defaults_and_empty_env_is_unset() -> None:
    settings = Settings.resolve(Options(), env={"ULTRALYTICS_PLATFORM_URL": "http://127.0.0.1:8787"})
    assert settings.endpoint == "http://127.0.0.1:8787"
    assert Settings.resolve(Options(), env={"ULTRALYTICS_API_KEY": ""}).api_key is None


@pytest.mark.parametrize("url", ["platform.ultralytics.com", "ftp://x", "http://", ""])
def test_bad_endpoint_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        Settings.resolve(Options(endpoint=url or " "), env={})


def test_key_never_in_repr() -> None:
    settings = Settings.resolve(Options(api_key=KEY), env={})
    assert settings.api_key == KEY
    assert KEY not in repr(settings) and KEY not in str(settings)


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (False, {}, False),
        (True, {}, True),
        (False, {"NO_COLOR": "1"}, True),
        (False, {"NO_COLOR": ""}, False),
    ],
)
def test_no_color_from_flag_or_env(flag: bool, env: dict[str, str], expected: bool) -> None:
    settings = Settings.resolve(Options(no_color=flag), env=env)
    assert settings.no_color is expected
    assert settings.color(stream_is_tty=True) is not expected
    assert settings.color(stream_is_tty=False) is False


def test_state_path_precedence(tmp_path: Path) -> None:
    manifest = tmp_path / "infra.yaml"
    manifest.write_text("version: 1\n")
    plain = Settings.resolve(Options(), env={})
    assert plain.state_path(None) == Path(".ulplan/state.json")
    assert plain.state_path(tmp_path) == tmp_path / ".ulplan" / "state.json"
    assert plain.state_path(manifest) == tmp_path / ".ulplan" / "state.json"
    explicit = Settings.resolve(Options(state=str(tmp_path / "prod.json")), env={})
    assert explicit.state_path(tmp_path / "elsewhere") == tmp_path / "prod.json"


def test_resolve_reads_process_env_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ULTRALYTICS_PLATFORM_URL", "http://localhost:9")
    monkeypatch.delenv("ULTRALYTICS_API_KEY", raising=False)
    assert Settings.resolve(None).endpoint == "http://localhost:9"
