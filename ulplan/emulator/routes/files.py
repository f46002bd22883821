"""Routes: signed downloads (model weights, exported files, dataset and GDPR exports). No key needed.

Like a cloud storage signed URL: the HMAC signature and expiry in the query string are
the authorisation, so tools can download with a plain GET.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from ulplan.emulator.deps import store_of
from ulplan.emulator.routes.datasets import dataset_export_path, export_response
from ulplan.emulator.routes.gdpr import gdpr_export_path

router = APIRouter(tags=["files"])
Expires = Annotated[int, Query(ge=0, le=2**53, description="Epoch second the link expires at")]
Signature = Annotated[str, Query(min_length=1, max_length=128)]


@router.get("/files/datasets/{datasetId}.ndjson", summary="Download a dataset export (signed URL)")
def download_dataset(
    request: Request, datasetId: str, expires: Expires, signature: Signature
) -> StreamingResponse:
    """The dataset as NDJSON."""
    store_of(request).blobs.check_signature(dataset_export_path(datasetId), expires, signature)
    return export_response(request, datasetId)


@router.get("/files/gdpr/{accountId}.json", summary="Download a GDPR export (signed URL)")
def download_gdpr_export(
    request: Request, accountId: str, expires: Expires, signature: Signature
) -> JSONResponse:
    """All the account's data, as a JSON file (404 once the account is deleted)."""
    store = store_of(request)
    store.blobs.check_signature(gdpr_export_path(accountId), expires, signature)
    headers = {"Content-Disposition": f'attachment; filename="{accountId}.json"'}
    return JSONResponse(store.gdpr.export(accountId), headers=headers)


@router.get("/files/{blobId}", summary="Download a stored file (signed URL)")
def download_file(request: Request, blobId: str, expires: Expires, signature: Signature) -> FileResponse:
    """The file, byte for byte."""
    blobs = store_of(request).blobs
    blobs.check_signature(f"/api/files/{blobId}", expires, signature)
    row, path = blobs.open_blob(blobId)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=row["name"],
        headers={"X-Content-SHA256": row["sha256"]},
    )
