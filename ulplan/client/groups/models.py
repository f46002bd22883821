"""``/api/models``: uploads (streamed from disk), files, downloads and predictions."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

from ulplan.client.errors import NotFoundError
from ulplan.client.files import FileSink, Progress, ProgressReader
from ulplan.client.groups.base import CrudGroup, body, parse, parse_list
from ulplan.client.models import Model, ModelFile, Prediction
from ulplan.client.transport import Transport

PT_CONTENT_TYPE = "application/octet-stream"


class ModelsGroup(CrudGroup[Model]):
    """Models of projects (filters ``project_id=``, ``task=``)."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/api/models", Model)

    def create(
        self,
        *,
        project_id: str,
        name: str,
        file: Path | str | None = None,
        slug: str | None = None,
        description: str | None = None,
        task: str | None = None,
        progress: Progress | None = None,
        retry_safe: bool = False,
    ) -> Model:
        """Create a model: with ``file`` its ``.pt`` weights are uploaded, streamed from
        disk with ``progress(bytes_sent, total)``; without, an untrained model is made.
        """
        form = body({"project_id": project_id, "name": name, "slug": slug, "description": description})
        form |= body({"task": task})
        if file is None:
            # Still multipart, as the API documents: plain form parts without a filename.
            parts = [(key, (None, str(value))) for key, value in form.items()]
            response = self._transport.request("POST", self._path, files=parts, retry_safe=retry_safe)
            return parse(Model, response.data)
        path = Path(file)
        with path.open("rb") as handle:
            reader = ProgressReader(handle, path.stat().st_size, progress)
            files = [("file", (path.name, reader, PT_CONTENT_TYPE))]
            response = self._transport.request(
                "POST", self._path, data=form, files=files, retry_safe=retry_safe
            )
        return parse(Model, response.data)

    def upload(self, *, project_id: str, name: str, file: Path | str, **options: Any) -> Model:
        """Create a model from a ``.pt`` file (``create`` with a file)."""
        return self.create(project_id=project_id, name=name, file=file, **options)

    def files(self, id: str) -> builtins.list[ModelFile]:
        """The model's downloadable files, with signed URLs."""
        data = self._get(self._item(id, "files")).data
        return parse_list(ModelFile, data.get("files") if isinstance(data, dict) else data)

    def download(
        self, id: str, dest: Path | str, progress: Progress | None = None, *, name: str | None = None
    ) -> Path:
        """Stream the model's weights (or the file called ``name``) to ``dest``.

        ``dest`` may be a directory (the file keeps its own name there). The sha256 the
        platform announced is checked before the file takes its final name.
        """
        chosen = _choose_file(self.files(id), name, id)
        target = Path(dest)
        if target.is_dir():
            target = target / Path(chosen.name).name
        sink = FileSink(target, sha256=chosen.sha256, progress=progress)
        self._transport.download(chosen.url, sink)
        return target

    def predict(
        self,
        id: str,
        image: Path | str,
        *,
        conf: float | None = None,
        iou: float | None = None,
    ) -> builtins.list[Prediction]:
        """Run the model on one image (changes nothing, so retried like a read)."""
        path = Path(image)
        form = {key: str(value) for key, value in body({"conf": conf, "iou": iou}).items()}
        with path.open("rb") as handle:
            files = [("file", (path.name, handle, "application/octet-stream"))]
            response = self._transport.request(
                "POST", self._item(id, "predict"), data=form, files=files, retry_safe=True
            )
        data = response.data
        return parse_list(Prediction, data.get("predictions") if isinstance(data, dict) else data)


def _choose_file(files: builtins.list[ModelFile], name: str | None, model_id: str) -> ModelFile:
    if name is not None:
        matches = [f for f in files if f.name == name]
    else:
        matches = [f for f in files if f.name.endswith(".pt")] or files
    if not matches:
        wanted = f"a file named {name!r}" if name else "any file"
        raise NotFoundError(f"model {model_id} has {wanted} to download", status=404)
    return matches[0]
