"""Nothing shaped like an API key is ever persisted, and the key is never echoed."""

from __future__ import annotations

import pytest

from ulplan.state import SecretRefusedError, find_secret, refuse_secrets

KEY = "ul_" + "0123456789abcdef" * 2 + "01234567"


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"a": {"b": [1, f"Bearer {KEY}"]}}, "a.b[1]"),
        ({"my key": KEY}, '["my key"]'),
        ({KEY: 1}, "[<key>]"),
        ((KEY,), "[0]"),
        ({"safe": "ul_short", "hex": "0" * 40}, None),
    ],
)
def test_find_secret_reports_the_path(value: object, path: str | None) -> None:
    assert find_secret(value) == path


def test_refusal_never_contains_the_key() -> None:
    with pytest.raises(SecretRefusedError) as info:
        refuse_secrets({"note": KEY}, "the state file x")
    assert KEY not in str(info.value)
    assert "note" in str(info.value)
