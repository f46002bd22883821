"""Accounts and API keys: who is calling, on which plan, with which scopes."""

from __future__ import annotations

from dataclasses import dataclass

from ulplan.emulator import ids
from ulplan.emulator.db import dumps, loads
from ulplan.emulator.errors import Unauthorized
from ulplan.emulator.store.base import SubStore

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

    def create_account(self, plan: str, username: str | None = None) -> str:
        """A new account with the signup credit; returns its id."""
        account_id = ids.new_id("account")
        with self.db.transaction() as conn:
            if username is None:
                count = conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
                username = f"user{count + 1}"
            conn.execute(
                "INSERT INTO accounts (id, username, name, plan, credit_balance, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, username, username, plan, SIGNUP_CREDIT_MICRO_USD, self.clock.iso()),
            )
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
        """Record the key's last use."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (self.clock.iso(), key_id))

    def count(self) -> int:
        """How many accounts exist (a first start with no seed key creates one)."""
        row = self.db.query_one("SELECT COUNT(*) AS n FROM accounts")
        return 0 if row is None else int(row["n"])
