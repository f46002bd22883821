"""Emulated deployments: creating -> deploying -> ready, start/stop, rolling updates.

Emulation: nothing is served. A deployment moves through the steps of its current
*phase*, one every ``job_seconds``: ``create`` (creating, deploying, ready), ``roll``
and ``start`` (deploying, ready), ``stop`` (stopping, stopped). A PATCH with another
model starts a ``roll``: ``modelId`` shows the new model at once (the desired state),
``servingModelId`` the one still answering until the new one is ready; id and URL stay.
Resources resize in place. Logs are written from the deployment's own history.

URLs look like ``https://<slug>-<8 hex>.<region>.run.ulplan.local``: stable for the
deployment's life, clearly not routable (the emulator runs no inference).
Deployments hold their own copy of the weights, as a container image would: trashing
or deleting the source model leaves them serving (``statusMessage`` says so).
"""

from __future__ import annotations

from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.errors import Conflict, NotFound
from ulplan.emulator.jobs import regions, telemetry
from ulplan.emulator.jobs.rows import insert_sql, update_sql
from ulplan.emulator.jobs.sizing import Resources
from ulplan.emulator.jobs.timeline import StepTimeline
from ulplan.emulator.store import rules
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error

PHASES: dict[str, tuple[str, ...]] = {
    "create": ("creating", "deploying", "ready"),
    "roll": ("deploying", "ready"),
    "start": ("deploying", "ready"),
    "stop": ("stopping", "stopped"),
}
MAX_LOG_ENTRIES, DEFAULT_LOG_ENTRIES = 200, 50


class DeploymentStore(SubStore):
    """Emulated inference endpoints."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS deployments (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        serving_model_id TEXT,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        region TEXT NOT NULL,
        url TEXT NOT NULL,
        cpu INTEGER NOT NULL,
        memory_gi INTEGER NOT NULL,
        min_instances INTEGER NOT NULL,
        max_instances INTEGER NOT NULL,
        phase TEXT NOT NULL,
        phase_started REAL NOT NULL,
        step_seconds REAL NOT NULL,
        status TEXT NOT NULL,
        ready_since REAL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deployed_at TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS deployments_slug ON deployments(account_id, slug);
    CREATE TABLE IF NOT EXISTS deployment_logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        timestamp TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS deployment_logs_by ON deployment_logs(deployment_id, seq);
    """

    # Creating and changing ----------------------------------------------------------

    def create(self, account_id: str, name: str, model_id: str, region: str, resources: Resources) -> str:
        """A new deployment, ``creating``; returns its id. 409 when its slug is taken."""
        rules.check_name(name)
        if not regions.is_region(region):
            raise field_error(
                "region", f"must be one of the {len(regions.REGIONS)} regions, e.g. us-central1"
            )
        slug = ids.slugify(name)
        deployment_id = ids.new_id("deployment")
        with self.db.transaction() as conn:
            model = self._deployable(account_id, model_id)
            if self.db.query_one(
                "SELECT 1 FROM deployments WHERE account_id = ? AND slug = ?", (account_id, slug)
            ):
                raise Conflict(
                    f"A deployment with slug '{slug}' already exists", {"field": "name", "slug": slug}
                )
            columns = (
                self._new_columns(deployment_id, account_id, name, slug, region, model) | resources.columns()
            )
            conn.execute(*insert_sql("deployments", columns))
            self._log(deployment_id, "INFO", f"Deployment '{name}' created in {region} ({_size(resources)})")
            self._record(
                account_id, deployment_id, name, "created", f"Deployment '{name}' created in {region}"
            )
        return deployment_id

    def update(self, account_id: str, deployment_id: str, fields: dict[str, Any]) -> bool:
        """Rename, resize in place, and/or roll out another model; True when a rollout started."""
        with self.db.transaction() as conn:
            row = self._advanced(account_id, deployment_id)
            changes: dict[str, Any] = {}
            if fields.get("name") is not None and fields["name"] != row["name"]:
                changes["name"] = rules.check_name(fields["name"])  # the slug, and so the URL, stay
            current = Resources.of(row).as_api()
            resources = Resources.checked({key: _given(fields, key, value) for key, value in current.items()})
            if resources != Resources.of(row):
                changes |= resources.columns()
                self._log(deployment_id, "INFO", f"Resized in place to {_size(resources)}")
            rolling = self._new_model(account_id, row, fields.get("modelId"), changes)
            if changes:
                conn.execute(
                    *update_sql("deployments", deployment_id, changes | {"updated_at": self.clock.iso()})
                )
                name = changes.get("name", row["name"])
                self._record(account_id, deployment_id, name, "updated", f"Deployment '{name}' updated")
        return rolling

    def _new_model(self, account_id: str, row: Row, model_id: str | None, changes: dict[str, Any]) -> bool:
        """Point the deployment at another model: a rollout when ready, a swap when stopped."""
        if model_id is None or model_id == row["model_id"]:
            return False
        model = self._deployable(account_id, model_id)
        if row["status"] not in ("ready", "stopped"):
            raise Conflict(
                f"Deployment {row['id']} is {row['status']}: change its model when it is ready or stopped",
                {"status": row["status"]},
            )
        changes |= {"model_id": model_id, "project_id": model["project_id"]}
        if row["status"] == "stopped":
            self._log(row["id"], "INFO", f"Model set to {model_id}; it will serve when the deployment starts")
            return False
        changes |= self._phase("roll")
        self._log(row["id"], "INFO", f"Rolling out model {model_id}; model {row['model_id']} keeps serving")
        return True

    def start(self, account_id: str, deployment_id: str) -> None:
        """Start a stopped (or failed) deployment: deploying, then ready. 409 otherwise."""
        self._transition(account_id, deployment_id, ("stopped", "failed"), "start", "started")

    def stop(self, account_id: str, deployment_id: str) -> None:
        """Stop a ready deployment: stopping, then stopped. 409 otherwise."""
        self._transition(account_id, deployment_id, ("ready",), "stop", "updated")

    def _transition(
        self, account_id: str, deployment_id: str, allowed: tuple[str, ...], phase: str, action: str
    ) -> None:
        with self.db.transaction() as conn:
            row = self._advanced(account_id, deployment_id)
            if row["status"] not in allowed:
                raise Conflict(
                    f"Cannot {phase} deployment {deployment_id}: it is {row['status']}",
                    {"status": row["status"], "allowedFrom": list(allowed)},
                )
            conn.execute(
                *update_sql(
                    "deployments", deployment_id, self._phase(phase) | {"updated_at": self.clock.iso()}
                )
            )
            verb = {"start": "Starting", "stop": "Stopping"}[phase]
            self._log(deployment_id, "INFO", f"{verb} (requested through the API)")
            self._record(
                account_id, deployment_id, row["name"], action, f"Deployment '{row['name']}': {phase}"
            )

    def delete(self, account_id: str, deployment_id: str) -> dict[str, Any]:
        """Delete the deployment and its logs, in any status."""
        with self.db.transaction() as conn:
            row = self._owned(account_id, deployment_id)
            conn.execute("DELETE FROM deployments WHERE id = ?", (deployment_id,))
            self._record(
                account_id, deployment_id, row["name"], "deleted", f"Deployment '{row['name']}' deleted"
            )
        return {"id": deployment_id, "deleted": True}

    # Reading -----------------------------------------------------------------------

    def get(self, account_id: str, deployment_id: str) -> dict[str, Any]:
        """One deployment as the API shows it, advanced to the present."""
        with self.db.transaction():
            row = self._advanced(account_id, deployment_id)
        return self._render(row)

    def list_page(self, account_id: str, request: PageRequest, model_id: str | None = None) -> Page:
        """The account's deployments, oldest first, optionally of one model."""
        with self.db.transaction():
            for row in self.db.query("SELECT * FROM deployments WHERE account_id = ?", (account_id,)):
                self._advance(row)
        where, params = "account_id = ?", [account_id]
        if model_id is not None:
            where, params = where + " AND model_id = ?", [*params, model_id]
        return self.page_of("deployments", where, params, "seq", request, self._render)

    def metrics(self, account_id: str, deployment_id: str) -> dict[str, Any]:
        """Emulated traffic numbers: none unless ready."""
        with self.db.transaction():
            row = self._advanced(account_id, deployment_id)
        ready = row["status"] == "ready" and row["ready_since"] is not None
        seconds = self.clock.now() - row["ready_since"] if ready else 0.0
        r = Resources.of(row)
        serving = telemetry.Serving(
            deployment_id, seconds, ready, r.cpu, r.memory_gi, r.min_instances, r.max_instances
        )
        return {"deploymentId": deployment_id, "region": row["region"]} | telemetry.metrics(serving)

    def logs(self, account_id: str, deployment_id: str, severity: str | None, limit: int) -> dict[str, Any]:
        """``{entries: [{timestamp, severity, message}]}``, newest first; ``severity`` keeps that
        level and above (INFO: all)."""
        with self.db.transaction():
            self._advanced(account_id, deployment_id)
        levels = telemetry.at_least(severity or "INFO")
        marks = ", ".join("?" * len(levels))
        rows = self.db.query(
            "SELECT timestamp, severity, message FROM deployment_logs"
            f" WHERE deployment_id = ? AND severity IN ({marks}) ORDER BY seq DESC LIMIT ?",
            (deployment_id, *levels, max(1, min(limit, MAX_LOG_ENTRIES))),
        )
        return {"entries": [dict(row) for row in rows]}

    def count(self, account_id: str) -> int:
        """How many deployments the account has (account summary)."""
        row = self.db.query_one("SELECT COUNT(*) AS n FROM deployments WHERE account_id = ?", (account_id,))
        return 0 if row is None else int(row["n"])

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every deployment of the account, with its logs (GDPR export)."""
        rows = self.db.query("SELECT * FROM deployments WHERE account_id = ? ORDER BY seq", (account_id,))
        return [self._render(row) | self.logs(account_id, row["id"], None, MAX_LOG_ENTRIES) for row in rows]

    # Advancing ---------------------------------------------------------------------

    def tick(self) -> None:
        """Bring every deployment in transition up to the present (background ticker)."""
        moving = "SELECT * FROM deployments WHERE status NOT IN ('ready', 'stopped', 'failed')"
        if not self.db.query(moving):
            return  # the usual case: no write lock taken ten times a second for nothing
        with self.db.transaction():
            for row in self.db.query(moving):
                self._advance(row)

    def _advance(self, row: Row) -> Row:
        """Persist the steps the deployment's phase has reached since the last advance."""
        timeline = StepTimeline(row["phase_started"], row["step_seconds"], PHASES[row["phase"]])
        statuses = PHASES[row["phase"]]
        current = statuses.index(row["status"]) if row["status"] in statuses else len(statuses) - 1
        reached = timeline.index_at(self.clock.now())
        if reached <= current:
            return row
        with self.db.transaction() as conn:
            for index in range(current + 1, reached + 1):
                changes = self._enter(row, statuses[index], timeline.reached_at(index))
                conn.execute(*update_sql("deployments", row["id"], changes))
        return self._row(row["id"])

    def _enter(self, row: Row, status: str, at: float) -> dict[str, Any]:
        """The columns (and log lines) of the deployment entering ``status`` at clock time ``at``."""
        changes: dict[str, Any] = {"status": status, "updated_at": self.clock.iso(at)}
        if status == "deploying" and row["phase"] == "create":
            self._log(row["id"], "INFO", f"Deploying model {row['model_id']}", at)
        elif status == "ready":
            changes |= {
                "serving_model_id": row["model_id"],
                "ready_since": at,
                "deployed_at": self.clock.iso(at),
            }
            self._log(row["id"], "INFO", f"Ready: serving model {row['model_id']} at {row['url']}", at)
            if row["min_instances"] == 0:
                message = "minInstances is 0: the first request after an idle period waits for a cold start"
                self._log(row["id"], "WARNING", message, at)
        elif status == "stopped":
            changes |= {"serving_model_id": None, "ready_since": None}
            self._log(row["id"], "INFO", "Stopped: no instances run until the deployment is started", at)
        return changes

    # Rows --------------------------------------------------------------------------

    def _new_columns(
        self, deployment_id: str, account_id: str, name: str, slug: str, region: str, model: Row
    ) -> dict[str, Any]:
        now = self.clock.iso()
        return {
            "id": deployment_id,
            "account_id": account_id,
            "model_id": model["id"],
            "project_id": model["project_id"],
            "name": name,
            "slug": slug,
            "region": region,
            "url": f"https://{slug}-{deployment_id[-8:]}.{region}.run.ulplan.local",
            "created_at": now,
            "updated_at": now,
        } | self._phase("create")

    def _phase(self, phase: str) -> dict[str, Any]:
        """The columns that begin ``phase`` now."""
        return {
            "phase": phase,
            "phase_started": self.clock.now(),
            "step_seconds": max(self.config.job_seconds, 0.0),
            "status": PHASES[phase][0],
        }

    def _deployable(self, account_id: str, model_id: str) -> Row:
        """The model to deploy: the account's, live, with weights."""
        model = self.store.models.get_row(account_id, model_id)
        if not model["file_sha256"]:
            raise field_error("modelId", "the model has no weights yet: upload a .pt file or train it first")
        return model

    def _owned(self, account_id: str, deployment_id: str) -> Row:
        row = self.db.query_one(
            "SELECT * FROM deployments WHERE id = ? AND account_id = ?", (deployment_id, account_id)
        )
        if row is None:
            raise NotFound(f"No deployment {deployment_id}")
        return row

    def _advanced(self, account_id: str, deployment_id: str) -> Row:
        return self._advance(self._owned(account_id, deployment_id))

    def _row(self, deployment_id: str) -> Row:
        row = self.db.query_one("SELECT * FROM deployments WHERE id = ?", (deployment_id,))
        if row is None:
            raise NotFound(f"No deployment {deployment_id}")
        return row

    def _log(self, deployment_id: str, severity: str, message: str, at: float | None = None) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO deployment_logs (deployment_id, timestamp, severity, message)"
                " VALUES (?, ?, ?, ?)",
                (deployment_id, self.clock.iso(at), severity, message),
            )

    def _record(self, account_id: str, deployment_id: str, name: str, action: str, message: str) -> None:
        self.store.activity.record(account_id, action, "deployment", deployment_id, name, message)

    def _render(self, row: Row) -> dict[str, Any]:
        """A deployment as the API shows it."""
        rolling_from = (
            row["serving_model_id"] if row["phase"] == "roll" and row["status"] == "deploying" else None
        )
        message = telemetry.status_message(row["status"], row["model_id"], rolling_from, row["region"])
        if row["serving_model_id"] and not self._model_live(row["serving_model_id"]):
            message += "; its source model was deleted, the deployment keeps serving its own copy"
        return {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "modelId": row["model_id"],
            "servingModelId": row["serving_model_id"],
            "projectId": row["project_id"],
            "region": row["region"],
            "status": row["status"],
            "statusMessage": message,
            "url": row["url"],
            "resources": Resources.of(row).as_api(),
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
            "deployedAt": row["deployed_at"],
        }

    def _model_live(self, model_id: str) -> bool:
        return (
            self.db.query_one("SELECT 1 FROM models WHERE id = ? AND trashed_at IS NULL", (model_id,))
            is not None
        )


def _given(fields: dict[str, Any], key: str, current: Any) -> Any:
    """The value a PATCH gives for ``key``, or the current one when it gives none."""
    value = fields.get(key)
    return current if value is None else value


def _size(resources: Resources) -> str:
    r = resources
    return f"{r.cpu} vCPU, {r.memory_gi} GiB, {r.min_instances}-{r.max_instances} instances"
