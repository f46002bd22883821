"""`yolo login KEY` of the `ultralytics` package, against the emulator.

The package checks a key through its own Platform client (`ultralytics_platform`): one
`account.summary()` call, the key accepted on success and refused on an APIError with
status 401. A real client that nobody here wrote, driven exactly that way.
"""

from __future__ import annotations

import pytest
from ultralytics_platform import APIError, Platform

from tests.support.emulator import Emulator


def test_yolo_login_accepts_an_emulator_key(emulator: Emulator) -> None:
    with Platform(api_key=emulator.key, base_url=emulator.url, timeout=30) as client:
        summary = client.account.summary()
    assert summary["data"]["username"] == "user1"


def test_yolo_login_refuses_an_unknown_key(emulator: Emulator) -> None:
    with Platform(api_key="ul_" + "0" * 40, base_url=emulator.url, timeout=30) as client:
        with pytest.raises(APIError) as refused:
            client.account.summary()
    assert refused.value.status_code == 401
