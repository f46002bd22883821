"""The Ultralytics Platform API client.

    from ulplan.client import PlatformClient

    with PlatformClient() as client:           # key from ULTRALYTICS_API_KEY or `yolo login`
        for project in client.projects.list():
            print(project.slug, project.modelCount)

Errors are in ``ulplan.client.errors``, result types in ``ulplan.client.models``.
"""

from ulplan.client.client import PlatformClient
from ulplan.client.errors import (
    APIError,
    ConflictError,
    MissingAPIKeyError,
    NotFoundError,
    PlatformError,
    RateLimitedError,
)
from ulplan.client.models import Page, PageMeta
from ulplan.client.stats import RequestStats

__all__ = [
    "APIError",
    "ConflictError",
    "MissingAPIKeyError",
    "NotFoundError",
    "Page",
    "PageMeta",
    "PlatformClient",
    "PlatformError",
    "RateLimitedError",
    "RequestStats",
]
