"""Billing in micro-USD: balances, reservations for running jobs, emulated payments.

The balance has two parts: ``cash`` (paid in through checkout) and ``credit`` (the signup
credit). Running jobs *reserve* their estimate; ``totalBalance`` is what is left to
spend: cash + credit - reserved. Settling a job frees its reservation and charges the
actual cost, credit first. Payments are emulated: a checkout session's local URL credits
the account when visited; no money moves anywhere.
"""

from __future__ import annotations

from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.config import PLAN_RATE_LIMITS
from ulplan.emulator.errors import Conflict, InsufficientCredits, NotFound
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error

MICRO = 1_000_000
CHECKOUT_MIN_DOLLARS, CHECKOUT_MAX_DOLLARS = 5, 1000


class BillingStore(SubStore):
    """Balances, reservations, transactions and checkout sessions."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS reservations (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        reference TEXT NOT NULL,
        amount INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_id, reference)
    );
    CREATE TABLE IF NOT EXISTS transactions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        amount INTEGER NOT NULL,
        description TEXT NOT NULL,
        reference TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS checkout_sessions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        amount INTEGER NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        completed_at TEXT
    );
    """

    def balance(self, account_id: str) -> dict[str, int]:
        """``{cashBalance, creditBalance, reservedAmount, totalBalance}`` in micro-USD."""
        row = self.db.query_one(
            "SELECT cash_balance, credit_balance,"
            " (SELECT COALESCE(SUM(amount), 0) FROM reservations r WHERE r.account_id = a.id) AS reserved"
            " FROM accounts a WHERE id = ?",
            (account_id,),
        )
        if row is None:
            raise NotFound("No such account")
        cash, credit, reserved = int(row["cash_balance"]), int(row["credit_balance"]), int(row["reserved"])
        return {
            "cashBalance": cash,
            "creditBalance": credit,
            "reservedAmount": reserved,
            "totalBalance": cash + credit - reserved,
        }

    def reserve(self, account_id: str, amount_micro_usd: int, reference: str) -> None:
        """Hold ``amount_micro_usd`` for a job identified by ``reference`` (e.g. a model id).

        Raises InsufficientCredits (402) when ``totalBalance`` cannot cover it. Reserving
        again under the same reference replaces the earlier hold.
        """
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM reservations WHERE account_id = ? AND reference = ?", (account_id, reference)
            )
            available = self.balance(account_id)["totalBalance"]
            if amount_micro_usd > available:
                raise InsufficientCredits(
                    "The balance cannot cover this job's estimated cost",
                    {"requiredMicroUsd": amount_micro_usd, "availableMicroUsd": available},
                )
            conn.execute(
                "INSERT INTO reservations (account_id, reference, amount, created_at) VALUES (?, ?, ?, ?)",
                (account_id, reference, amount_micro_usd, self.clock.iso()),
            )

    def settle(self, account_id: str, reference: str, actual_micro_usd: int, description: str = "") -> None:
        """Free the reservation ``reference`` and charge the actual cost (credit first, then cash).

        Cash may go below zero when a job cost more than its estimate, as on a real bill.
        """
        with self.db.transaction() as conn:
            self.release(account_id, reference)
            row = conn.execute("SELECT credit_balance FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                return
            from_credit = min(max(int(row["credit_balance"]), 0), actual_micro_usd)
            conn.execute(
                "UPDATE accounts SET credit_balance = credit_balance - ?, cash_balance = cash_balance - ?"
                " WHERE id = ?",
                (from_credit, actual_micro_usd - from_credit, account_id),
            )
            self.record(
                account_id, "charge", -actual_micro_usd, description or f"Charge for {reference}", reference
            )

    def release(self, account_id: str, reference: str) -> None:
        """Free a reservation without charging (a job that was cancelled before it cost anything)."""
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM reservations WHERE account_id = ? AND reference = ?", (account_id, reference)
            )

    def payments(self, account_id: str, request: PageRequest) -> Page:
        """The account's transactions (payments in, charges out, credits), newest first."""
        return self.page_of(
            "transactions", "account_id = ?", [account_id], "seq DESC", request, render_transaction
        )

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every transaction of the account (GDPR export)."""
        rows = self.db.query("SELECT * FROM transactions WHERE account_id = ? ORDER BY seq", (account_id,))
        return [render_transaction(row) for row in rows]

    # Emulated payments --------------------------------------------------------------

    def open_checkout(self, account_id: str, amount_dollars: float) -> str:
        """A checkout session for a top-up of ``amount_dollars`` (5-1000); returns its id."""
        if not CHECKOUT_MIN_DOLLARS <= amount_dollars <= CHECKOUT_MAX_DOLLARS:
            raise field_error(
                "amount", f"must be between {CHECKOUT_MIN_DOLLARS} and {CHECKOUT_MAX_DOLLARS} dollars"
            )
        return self._open_session(account_id, "credits", round(amount_dollars * MICRO))

    def open_subscription(self, account_id: str) -> str:
        """A checkout session that upgrades the account to Pro when visited."""
        plan = self.store.accounts.plan_of(account_id)
        if plan != "free":
            raise Conflict(f"The account is already on the {plan} plan")
        return self._open_session(account_id, "subscription", 0)

    def open_portal(self, account_id: str) -> str:
        """A billing-portal session (a local page listing the account's billing)."""
        return self._open_session(account_id, "portal", 0)

    def complete_session(self, session_id: str) -> dict[str, Any]:
        """Visit a session's URL: credit the account or upgrade it (once; later visits change nothing)."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT * FROM checkout_sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise NotFound("No such checkout session")
            if row["status"] == "open" and row["kind"] != "portal":
                self._fulfil(row)
                conn.execute(
                    "UPDATE checkout_sessions SET status = 'complete', completed_at = ? WHERE id = ?",
                    (self.clock.iso(), session_id),
                )
            result = {
                "sessionId": session_id,
                "kind": row["kind"],
                "status": "complete" if row["kind"] != "portal" else "open",
                "amountMicroUsd": int(row["amount"]),
                "emulated": True,
                "message": "Emulated payment: no money moved.",
            }
            return result | {
                "balance": self.balance(row["account_id"]),
                "plan": self.store.accounts.plan_of(row["account_id"]),
            }

    def _fulfil(self, session: Row) -> None:
        account_id = session["account_id"]
        if session["kind"] == "credits":
            with self.db.transaction() as conn:
                conn.execute(
                    "UPDATE accounts SET cash_balance = cash_balance + ? WHERE id = ?",
                    (session["amount"], account_id),
                )
            self.record(
                account_id, "payment", int(session["amount"]), "Emulated top-up payment", session["id"]
            )
        else:
            self.store.accounts.set_plan(account_id, "pro")
            self.record(account_id, "subscription", 0, "Emulated upgrade to Pro", session["id"])
        self.store.activity.record(
            account_id, "completed", "billing", session["id"], "checkout", "Emulated payment completed"
        )

    def _open_session(self, account_id: str, kind: str, amount: int) -> str:
        session_id = ids.new_id("cs")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO checkout_sessions (id, account_id, kind, amount, status, created_at)"
                " VALUES (?, ?, ?, ?, 'open', ?)",
                (session_id, account_id, kind, amount, self.clock.iso()),
            )
        return session_id

    def record(
        self, account_id: str, kind: str, amount: int, description: str, reference: str | None
    ) -> None:
        """Append a transaction (payment, charge, credit, subscription) to the account's history."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO transactions (id, account_id, type, amount, description, reference, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ids.new_id("txn"), account_id, kind, amount, description, reference, self.clock.iso()),
            )


def render_transaction(row: Row) -> dict[str, Any]:
    """A transaction as ``GET /api/billing/payments`` shows it."""
    return {
        "id": row["id"],
        "type": row["type"],
        "amountMicroUsd": row["amount"],
        "description": row["description"],
        "reference": row["reference"],
        "createdAt": row["created_at"],
    }


def usage_summary(store: Any, account_id: str) -> dict[str, Any]:
    """``GET /api/billing/usage-summary``: the plan, its limits, and what the account uses."""
    plan = store.accounts.plan_of(account_id)
    rate = PLAN_RATE_LIMITS.get(plan)
    counts = store.accounts.summary(account_id)["counts"]
    return {
        "plan": plan,
        "limits": {
            "requestsPerMinute": None if rate is None else rate[0],
            "requestsPerDay": None if rate is None else rate[1],
            "storageBytes": store.storage.limit_of(account_id),
        },
        "usage": {"storageBytes": store.blobs.used_bytes(account_id), **counts},
        "balance": store.billing.balance(account_id),
    }
