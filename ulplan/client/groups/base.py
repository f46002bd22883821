"""What every resource group shares: naming, paths, pages, and plain CRUD."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import pydantic

from ulplan.client.envelope import ApiResponse
from ulplan.client.errors import UnexpectedResponseError
from ulplan.client.models import ApiObject, Deleted, Page, PageMeta
from ulplan.client.transport import Transport

T = TypeVar("T", bound=ApiObject)
MAX_PAGE_SIZE = 100  # the largest ``limit`` the API accepts


def camel(name: str) -> str:
    """``memory_gi`` -> ``memoryGi``; a name already in camelCase is left alone."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def body(fields: dict[str, Any], *, keep_none: bool = False) -> dict[str, Any]:
    """Python keyword arguments as an API body: camelCase keys, None dropped unless kept."""
    return {camel(key): value for key, value in fields.items() if keep_none or value is not None}


def segment(value: str) -> str:
    """An id made safe as one path segment (ids are opaque to the client)."""
    return quote(str(value), safe="")


def parse(model: type[T], data: Any) -> T:
    """Validate one API object into its model."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _unexpected(model, exc) from exc


def parse_list(model: type[T], data: Any) -> list[T]:
    """Validate a list of API objects (``None`` is an empty list)."""
    if not isinstance(data, list | type(None)):
        raise UnexpectedResponseError(f"expected a list of {model.__name__}, got {type(data).__name__}")
    return [parse(model, item) for item in data or []]


def _unexpected(model: type[ApiObject], exc: pydantic.ValidationError) -> UnexpectedResponseError:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or '(object)'}: {error['msg']}"
        for error in exc.errors()[:5]
    )
    return UnexpectedResponseError(f"the platform's {model.__name__} is not as documented: {problems}")


def parse_page(model: type[T], response: ApiResponse, page: int, limit: int) -> Page[T]:
    """A list answer as a ``Page``; a missing ``meta`` is filled from the request."""
    items = parse_list(model, response.data)
    if response.meta:
        meta = parse(PageMeta, response.meta)
    else:
        # An answer without ``meta`` is not paginated: it holds everything there is.
        meta = PageMeta(page=page, limit=max(limit, len(items)), total=(page - 1) * limit + len(items))
    return Page[model](items=items, meta=meta)  # type: ignore[valid-type]


def paginate(fetch: Callable[[int, int], Page[T]]) -> Iterator[T]:
    """Yield every item of a list, asking for the largest pages the API allows."""
    page = 1
    while True:
        current = fetch(page, MAX_PAGE_SIZE)
        yield from current.items
        limit = current.meta.limit or MAX_PAGE_SIZE
        total = current.meta.total
        if len(current.items) < limit or (total is not None and page * limit >= total):
            return
        page += 1


class Group:
    """A part of the API, reached through the client's shared transport."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def _get(self, path: str, params: dict[str, Any] | None = None) -> ApiResponse:
        return self._transport.request("GET", path, params=params)

    def _post(self, path: str, json: Any = None, *, retry_safe: bool = False) -> ApiResponse:
        return self._transport.request("POST", path, json=json, retry_safe=retry_safe)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class CrudGroup(Group, Generic[T]):
    """A collection with list/page/get/create/update/delete at ``path``."""

    def __init__(self, transport: Transport, path: str, model: type[T]) -> None:
        super().__init__(transport)
        self._path = path
        self._model = model

    def page(self, page: int = 1, limit: int = 20, **filters: Any) -> Page[T]:
        """One page of the collection, with its ``meta`` (filters in snake_case)."""
        params = {"page": page, "limit": limit, **body(filters)}
        return parse_page(self._model, self._get(self._path, params), page, limit)

    def list(self, **filters: Any) -> Iterator[T]:
        """Every item of the collection, fetched lazily page by page."""
        return paginate(lambda page, limit: self.page(page, limit, **filters))

    def get(self, id: str) -> T:
        """One item by id (``NotFoundError`` when there is none)."""
        return parse(self._model, self._get(self._item(id)).data)

    def update(self, id: str, **fields: Any) -> T:
        """Change only the given fields (snake_case or camelCase names); None clears one."""
        response = self._transport.request("PATCH", self._item(id), json=body(fields, keep_none=True))
        return parse(self._model, response.data)

    def delete(self, id: str) -> Deleted:
        """Delete one item (projects, datasets and models go to the trash)."""
        response = self._transport.request("DELETE", self._item(id))
        return Deleted.model_validate(response.data if isinstance(response.data, dict) else {"id": id})

    def _create(self, fields: dict[str, Any], retry_safe: bool) -> T:
        return parse(self._model, self._post(self._path, body(fields), retry_safe=retry_safe).data)

    def _item(self, id: str, *rest: str) -> str:
        return "/".join((self._path, segment(id), *rest))
