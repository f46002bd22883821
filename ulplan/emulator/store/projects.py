"""Projects: containers of models, with unique slugs per account and soft delete."""

from __future__ import annotations

from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import loads
from ulplan.emulator.errors import NotFound
from ulplan.emulator.store import rules
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore

EDITABLE = ("name", "description", "visibility", "tags", "license")


# Projects with their live model count, counted inside SQLite: rendering a page of 100
# projects is then one query, not one more query per project.
WITH_MODEL_COUNT = (
    "(SELECT p.*, (SELECT COUNT(*) FROM models m WHERE m.project_id = p.id AND m.trashed_at IS NULL)"
    " AS model_count FROM projects p)"
)


class ProjectStore(SubStore):
    """Projects."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS projects (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        visibility TEXT NOT NULL DEFAULT 'private',
        tags TEXT NOT NULL DEFAULT '[]',
        license TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        trashed_at REAL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS projects_slug ON projects(account_id, slug) WHERE trashed_at IS NULL;
    """

    def list_page(self, account_id: str, request: PageRequest) -> Page:
        """The account's live projects, oldest first."""
        where = "account_id = ? AND trashed_at IS NULL"
        return self.page_of(WITH_MODEL_COUNT, where, [account_id], "created_at, id", request, self.render)

    def get(self, account_id: str, project_id: str) -> dict[str, Any]:
        """One live project as the API shows it; NotFound for another account's or a trashed one."""
        return self.render(self.get_row(account_id, project_id))

    def get_row(self, account_id: str, project_id: str) -> Row:
        """The project's row; NotFound for another account's or a trashed one."""
        row = self.db.query_one(
            f"SELECT * FROM {WITH_MODEL_COUNT} WHERE id = ? AND account_id = ? AND trashed_at IS NULL",
            (project_id, account_id),
        )
        if row is None:
            raise NotFound(f"No project {project_id}")
        return row

    def create(self, account_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """A new project from ``{name, slug?, description?, visibility?, tags?, license?}``."""
        name = rules.check_name(fields.get("name"))
        slug = rules.slug_for(fields.get("slug"), name)
        values = _checked({"visibility": "private", **fields})
        project_id, now = ids.new_id("project"), self.clock.iso()
        columns = {"id": project_id, "account_id": account_id, "name": name, "slug": slug, "created_at": now}
        with self.db.transaction() as conn:
            rules.insert_row(conn, "projects", columns | values | {"updated_at": now}, "project")
            self.store.activity.record(
                account_id, "created", "project", project_id, name, f"Project '{name}' created"
            )
        return self.get(account_id, project_id)

    def update(self, account_id: str, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change the given fields (others stay); records an activity event when anything changed."""
        values = _checked({key: value for key, value in fields.items() if key in EDITABLE})
        with self.db.transaction() as conn:
            row = self.get_row(account_id, project_id)
            self.update_resource(conn, account_id, "project", row, values)
        return self.get(account_id, project_id)

    def trash(self, account_id: str, project_id: str) -> dict[str, Any]:
        """Move the project and its live models to the trash; ``cascadedModels`` counts them."""
        with self.db.transaction() as conn:
            row = self.get_row(account_id, project_id)
            cascaded = conn.execute(
                "UPDATE models SET trashed_at = ?, trashed_with = ?"
                " WHERE project_id = ? AND trashed_at IS NULL",
                (self.clock.now(), project_id, project_id),
            ).rowcount
            self.trash_resource(conn, account_id, "project", row, note=f" with {cascaded} model(s)")
        return {"id": project_id, "trashed": True, "cascadedModels": cascaded}

    def render(self, row: Row) -> dict[str, Any]:
        """A project as the API shows it (``row`` read from WITH_MODEL_COUNT)."""
        return {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "description": row["description"],
            "visibility": row["visibility"],
            "tags": loads(row["tags"]),
            "license": row["license"],
            "modelCount": int(row["model_count"]),
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
        }

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every project of the account, trashed ones included (GDPR export)."""
        rows = self.db.query(
            f"SELECT * FROM {WITH_MODEL_COUNT} WHERE account_id = ? ORDER BY created_at", (account_id,)
        )
        return [self.render(row) | {"trashed": row["trashed_at"] is not None} for row in rows]


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for the editable fields present in ``fields``."""
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = rules.check_name(fields["name"])
    if "description" in fields:
        values["description"] = rules.check_description(fields["description"])
    if "visibility" in fields:
        values["visibility"] = rules.check_choice(fields["visibility"], rules.VISIBILITIES, "visibility")
    if "tags" in fields:
        values["tags"] = rules.check_tags(fields["tags"])
    if "license" in fields:
        values["license"] = fields["license"]
    return values
