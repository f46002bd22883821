"""Accounts and API keys: who is calling, on which plan, with which scopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ulplan.emulator import ids
from ulplan.emulator.db import dumps, loads
from ulplan.emulator.errors import NotFound, Unauthorized
from ulplan.emulator.store.base import Page, PageRequest, Row, StoreContext, SubStore, field_error

if TYPE_CHECKING:
    from ulplan.emulator.store import Store

SCOPES = ("datasets", "projects", "models", "training", "exports", "deployments", "read", "write", "admin")
SIGNUP_CREDIT_MICRO_USD = 5_000_000  # every new account starts with $5.00 of credit


@dataclass(frozen=True)
class Principal:
    """The caller of a request: its account, the key it used, and the key's scopes."""

    account_id: str
    key_id: str
    scopes: frozenset[str]
    plan: str
    username: str


class AccountStore(SubStore):
    """Accounts and their hashed keys."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        plan TEXT NOT NULL,
        cash_balance INTEGER NOT NULL DEFAULT 0,
        credit_balance INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
    );
    """

    def __init__(self, ctx: StoreContext, store: Store) -> None:
        super().__init__(ctx, store)
        self._touched: dict[str, float] = {}

    def create_account(self, plan: str, username: str | None = None) -> str:
        """A new account with the signup credit; returns its id.

        Without ``username`` the account is ``userN`` for the lowest free N (accounts
        deleted through GDPR leave gaps, so a count alone could name a taken user).
        """
        account_id = ids.new_id("account")
        with self.db.transaction() as conn:
            if username is None:
                number = conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] + 1
                while self.account_of_username(f"user{number}") is not None:
                    number += 1
                username = f"user{number}"
            conn.execute(
                "INSERT INTO accounts (id, username, name, plan, credit_balance, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, username, username, plan, SIGNUP_CREDIT_MICRO_USD, self.clock.iso()),
            )
            self.store.billing.record(account_id, "credit", SIGNUP_CREDIT_MICRO_USD, "Signup credit", None)
        return account_id

    def add_key(self, account_id: str, key: str, name: str, scopes: tuple[str, ...] = SCOPES) -> str:
        """Store a key (hashed) for an account; returns the key's id."""
        key_id = ids.new_id("key")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO api_keys (id, account_id, name, prefix, key_hash, scopes, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key_id, account_id, name, key[:7], ids.hash_key(key), dumps(list(scopes)), self.clock.iso()),
            )
        return key_id

    def account_of_username(self, username: str) -> str | None:
        """The id of the account called ``username``, or None."""
        row = self.db.query_one("SELECT id FROM accounts WHERE username = ?", (username,))
        return None if row is None else str(row["id"])

    def account_of_key(self, key: str) -> str | None:
        """The account id holding ``key``, or None."""
        row = self.db.query_one("SELECT account_id FROM api_keys WHERE key_hash = ?", (ids.hash_key(key),))
        return None if row is None else str(row["account_id"])

    def authenticate(self, key: str | None) -> Principal:
        """The principal behind a bearer key; Unauthorized when missing or unknown."""
        if not key:
            raise Unauthorized("Missing API key: send 'Authorization: Bearer ul_...'")
        row = self.db.query_one(
            "SELECT k.id AS key_id, k.scopes, a.id AS account_id, a.plan, a.username"
            " FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = ?",
            (ids.hash_key(key),),
        )
        if row is None:
            raise Unauthorized("Invalid API key")
        return Principal(
            account_id=row["account_id"],
            key_id=row["key_id"],
            scopes=frozenset(loads(row["scopes"])),
            plan=row["plan"],
            username=row["username"],
        )

    def touch_key(self, key_id: str) -> None:
        """Record the key's last use (at most once a second per key, to spare the writer)."""
        now = self.clock.now()
        if now - self._touched.get(key_id, 0.0) < 1.0:
            return
        self._touched[key_id] = now
        with self.db.transaction() as conn:
            conn.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (self.clock.iso(), key_id))

    def count(self) -> int:
        """How many accounts exist (a first start with no seed key creates one)."""
        row = self.db.query_one("SELECT COUNT(*) AS n FROM accounts")
        return 0 if row is None else int(row["n"])

    def plan_of(self, account_id: str) -> str:
        """The account's plan (``free``, ``pro`` or ``enterprise``)."""
        return str(self._account(account_id)["plan"])

    def set_plan(self, account_id: str, plan: str) -> None:
        """Move the account to another plan (an emulated subscription checkout does this)."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE accounts SET plan = ? WHERE id = ?", (plan, account_id))

    def summary(self, account_id: str) -> dict[str, Any]:
        """``GET /api/account/summary``: who the key belongs to, plan, balance and counts."""
        account = self._account(account_id)
        counts = {
            kind: self._count_live(kind, account_id)
            for kind in ("projects", "datasets", "models", "deployments")
        }
        return {
            "username": account["username"],
            "name": account["name"],
            "accountType": "personal",
            "plan": account["plan"],
            "totalBalance": self.store.billing.balance(account_id)["totalBalance"],
            "counts": counts,
        }

    def list_keys(self, account_id: str, request: PageRequest | None = None) -> Page:
        """The account's keys as the API lists them (oldest first): never the key itself."""
        return self.page_of(
            "api_keys", "account_id = ?", [account_id], "created_at, id", request or PageRequest(), render_key
        )

    def create_key(self, account_id: str, name: str, scopes: list[str]) -> dict[str, Any]:
        """A new key with ``scopes`` (empty: all of them); the answer holds the key, once."""
        if not ids.is_name(name):
            raise field_error("name", "must be 1-100 printable characters")
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise field_error("scopes", f"unknown scopes {unknown}; known: {list(SCOPES)}")
        key = ids.new_api_key()
        chosen = tuple(scope for scope in SCOPES if scope in scopes) or SCOPES
        key_id = self.add_key(account_id, key, name, chosen)
        self.store.activity.record(account_id, "created", "apiKey", key_id, name, f"API key '{name}' created")
        row = self.db.query_one("SELECT * FROM api_keys WHERE id = ?", (key_id,))
        assert row is not None
        return render_key(row) | {"key": key}

    def delete_key(self, account_id: str, key_id: str) -> None:
        """Revoke one of the account's keys; requests with it are 401 from now on."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT name FROM api_keys WHERE id = ? AND account_id = ?", (key_id, account_id)
            ).fetchone()
            if row is None:
                raise NotFound(f"No API key {key_id}")
            conn.execute("DELETE FROM api_keys WHERE id = ?", (key_id,))
            self.store.activity.record(
                account_id, "deleted", "apiKey", key_id, row["name"], "API key revoked"
            )

    def export_account(self, account_id: str) -> dict[str, Any]:
        """The account row and its keys (hashes left out) for a GDPR export."""
        account = self._account(account_id)
        return {
            "id": account["id"],
            "username": account["username"],
            "name": account["name"],
            "plan": account["plan"],
            "createdAt": account["created_at"],
            "apiKeys": [
                render_key(row)
                for row in self.db.query("SELECT * FROM api_keys WHERE account_id = ?", (account_id,))
            ],
        }

    def delete_account(self, account_id: str) -> None:
        """Remove the account row; every table that references it cascades."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))

    def _account(self, account_id: str) -> Row:
        row = self.db.query_one("SELECT * FROM accounts WHERE id = ?", (account_id,))
        if row is None:
            raise NotFound("No such account")
        return row

    def _count_live(self, table: str, account_id: str) -> int:
        """Rows of ``table`` owned by the account and not in the trash (0 for a missing table)."""
        columns = {row["name"] for row in self.db.query(f"PRAGMA table_info({table})")}
        if "account_id" not in columns:
            return 0
        where = "account_id = ?" + (" AND trashed_at IS NULL" if "trashed_at" in columns else "")
        row = self.db.query_one(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", (account_id,))
        return 0 if row is None else int(row["n"])


def render_key(row: Row) -> dict[str, Any]:
    """A key as ``GET /api/api-keys`` shows it (the prefix, never the key)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "prefix": row["prefix"],
        "scopes": loads(row["scopes"]),
        "createdAt": row["created_at"],
        "lastUsedAt": row["last_used_at"],
    }
