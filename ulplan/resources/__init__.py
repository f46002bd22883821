"""Per-kind rules: one module per resource kind, and a registry keyed by kind."""

from ulplan.resources.base import OperationContext, Raw, ResourceOperationError, ResourceType
from ulplan.resources.registry import KIND_ORDER, REGISTRY, resource_type

__all__ = [
    "KIND_ORDER",
    "REGISTRY",
    "OperationContext",
    "Raw",
    "ResourceOperationError",
    "ResourceType",
    "resource_type",
]
