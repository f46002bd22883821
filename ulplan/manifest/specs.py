"""The validated spec of each resource kind: strict pydantic models, unknown keys forbidden.

Field names are the manifest's camelCase names. A spec holds what the user wrote, with
the API's defaults filled in where the platform has one (instances, cpu, image size...);
optional descriptive fields stay None when not written, meaning "not managed".
Strings may still hold live ``${<kind>.<name>.<attr>}`` references; see interpolate.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ulplan.manifest import enums
from ulplan.manifest.fields import (
    Choice,
    DeploymentState,
    DisplayName,
    ExportFormat,
    GpuType,
    Region,
    Scalar,
    Slug,
    Task,
    Text,
    Visibility,
    Whole,
)

VARIABLE_TYPES = ("string", "number", "bool")


class Spec(BaseModel):
    """Base of every manifest model: frozen, and an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Lifecycle(Spec):
    """How apply treats a resource beyond its fields (Terraform's lifecycle block)."""

    prevent_destroy: bool = Field(False, description="Refuse any plan that deletes or replaces it.")
    ignore_changes: tuple[str, ...] = Field((), description="Fields whose live value is never corrected.")
    create_before_destroy: bool = Field(False, description="On replace, create the new one first.")


class Reference(Spec):
    """A reference to another resource: a manifest name of that kind, or ``{id: ...}``.

    Written as a plain string (``project: detection``) for a resource of these
    manifests, or as ``{id: project_abc}`` for one that ulplan does not manage.
    """

    name: str | None = None
    id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data}
        return data

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.name is None) == (self.id is None):
            raise PydanticCustomError("reference", "a reference is a name or {id: ...}")
        return self

    @property
    def managed(self) -> bool:
        """True for a reference to a resource of these manifests."""
        return self.name is not None

    def address(self, kind: str) -> str | None:
        """``<kind>.<name>`` for a managed reference; None for an ``{id: ...}`` one."""
        return f"{kind}.{self.name}" if self.name is not None else None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "title": "Reference",
            "description": (
                "A manifest name of that kind, or {id: ...} for a resource ulplan does not manage."
            ),
            "anyOf": [
                {"type": "string", "pattern": enums.SLUG_PATTERN},
                {
                    "type": "object",
                    "properties": {"id": {"type": "string", "minLength": 1}},
                    "required": ["id"],
                    "additionalProperties": False,
                },
            ],
        }


Ref = Reference


class ProjectSpec(Spec):
    """A project: a folder of models."""

    name: DisplayName | None = None
    slug: Slug | None = Field(None, description="Platform slug (default: the manifest key).")
    description: Text | None = None
    visibility: Visibility | None = None
    tags: tuple[Text, ...] | None = None
    license: Text | None = None


class DatasetSpec(Spec):
    """A dataset; its task cannot change once created."""

    task: Task
    name: DisplayName | None = None
    slug: Slug | None = Field(None, description="Platform slug (default: the manifest key).")
    description: Text | None = None
    visibility: Visibility | None = None
    classNames: tuple[Text, ...] | None = None
    tags: tuple[Text, ...] | None = None
    license: Text | None = None


class TrainingSpec(Spec):
    """Training started after the model is created."""

    dataset: Reference
    epochs: Annotated[int, Field(ge=enums.EPOCHS_RANGE[0], le=enums.EPOCHS_RANGE[1]), Whole()]
    imageSize: Annotated[
        int,
        Field(
            ge=enums.IMAGE_SIZE_RANGE[0],
            le=enums.IMAGE_SIZE_RANGE[1],
            multiple_of=enums.IMAGE_SIZE_MULTIPLE,
            description="Training image size in pixels, a multiple of 32.",
        ),
        Whole(),
    ] = enums.DEFAULT_IMAGE_SIZE
    gpuType: GpuType = enums.DEFAULT_GPU_TYPE
    wait: bool = Field(True, description="Apply waits for the training to finish.")
    trainArgs: dict[str, Scalar] | None = Field(None, description="Extra training arguments.")


class ModelSpec(Spec):
    """A model: uploaded from ``file``, trained by ``training``, or both."""

    project: Reference
    file: Annotated[Text, Field(min_length=1)] | None = Field(
        None, description="Weights to upload (.pt), relative to this manifest file."
    )
    training: TrainingSpec | None = None
    name: DisplayName | None = None
    slug: Slug | None = Field(None, description="Platform slug (default: the manifest key).")
    description: Text | None = None
    task: Task | None = None
    license: Text | None = None

    @model_validator(mode="after")
    def _has_source(self) -> Self:
        if self.file is None and self.training is None:
            raise PydanticCustomError(
                "model_source", "a model needs a `file` to upload, a `training`, or both"
            )
        return self


class ExportSpec(Spec):
    """An export of a model to a deployment format."""

    model: Reference
    format: ExportFormat
    args: dict[str, Scalar] | None = Field(None, description="Export arguments (half, int8, imgsz...).")


class DeploymentSpec(Spec):
    """A dedicated inference endpoint serving a model."""

    model: Reference
    region: Region
    name: DisplayName | None = None
    slug: Slug | None = Field(None, description="Platform slug (default: the manifest key).")
    minInstances: Annotated[
        int, Field(ge=enums.MIN_INSTANCES_RANGE[0], le=enums.MIN_INSTANCES_RANGE[1]), Whole()
    ] = enums.DEFAULT_MIN_INSTANCES
    maxInstances: Annotated[
        int, Field(ge=enums.MAX_INSTANCES_RANGE[0], le=enums.MAX_INSTANCES_RANGE[1]), Whole()
    ] = Field(enums.DEFAULT_MAX_INSTANCES, validate_default=True)  # checked against minInstances
    cpu: Annotated[int, Field(ge=enums.CPU_RANGE[0], le=enums.CPU_RANGE[1]), Whole()] = enums.DEFAULT_CPU
    memoryGi: Annotated[int, Field(ge=enums.MEMORY_GI_RANGE[0], le=enums.MEMORY_GI_RANGE[1]), Whole()] = (
        enums.DEFAULT_MEMORY_GI
    )
    state: DeploymentState = Field("running", description="running or stopped.")

    # A field validator, not a model one, so the mistake is reported even when another
    # field of the deployment is wrong too (model validators run only on valid fields).
    @field_validator("maxInstances")
    @classmethod
    def _instances(cls, high: int, info: ValidationInfo) -> int:
        low = info.data.get("minInstances")
        if isinstance(low, int) and low > high:
            raise PydanticCustomError(
                "instances",
                "{high} is less than minInstances ({low}); raise maxInstances",
                {"low": low, "high": high},
            )
        return high


SPEC_TYPES: dict[str, type[Spec]] = {
    "project": ProjectSpec,
    "dataset": DatasetSpec,
    "model": ModelSpec,
    "export": ExportSpec,
    "deployment": DeploymentSpec,
}
"""The spec model of each kind."""

AnySpec = ProjectSpec | DatasetSpec | ModelSpec | ExportSpec | DeploymentSpec


class VariableSpec(Spec):
    """A declared input variable."""

    default: Any = Field(None, description="Used when no --var, --var-file or ULPLAN_VAR_<name> sets it.")
    description: Text | None = None
    type: Annotated[str, Choice(VARIABLE_TYPES, "variable type")] = Field(
        "string", description="string, number or bool."
    )
