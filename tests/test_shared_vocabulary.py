"""The manifest language and the emulator keep their own copies of the platform's enums
(neither may import the other); these tests keep the copies equal."""

from ulplan.emulator.jobs import gpus, regions
from ulplan.manifest import enums


def test_regions_match() -> None:
    assert sorted(enums.REGIONS) == sorted(regions.REGIONS)
    assert len(regions.REGIONS) == 42


def test_gpu_types_match() -> None:
    assert sorted(enums.GPU_TYPES) == sorted(gpus.GPU_IDS)
    assert enums.DEFAULT_GPU_TYPE == gpus.DEFAULT_GPU
