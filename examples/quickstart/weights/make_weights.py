"""Write yolo11n.pt: a tiny stand-in with the layout of a torch checkpoint, not a real model.

A torch checkpoint is a zip archive holding ``<name>/data.pkl`` (pickled data) and
``<name>/version``. The quickstart only needs a small file with that shape to upload;
the emulator does not run models. Run ``python make_weights.py`` to regenerate it; the
output is byte-for-byte reproducible (fixed timestamps).
"""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def make(path: Path) -> None:
    """Write the stand-in checkpoint to ``path``."""
    payload = pickle.dumps({"model": None, "note": "ulplan quickstart placeholder"}, protocol=2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in (("yolo11n/data.pkl", payload), ("yolo11n/version", b"3\n")):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)


if __name__ == "__main__":
    make(Path(__file__).with_name("yolo11n.pt"))
