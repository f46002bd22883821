"""Billing: balance, reservations, emulated checkout, subscription, payments, usage."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.helpers import data, error
from tests.support.emulator import Emulator, new_key


def test_new_accounts_have_the_signup_credit(emulator: Emulator) -> None:
    with emulator.client() as client:
        balance = data(client.get("/api/billing/balance"))
    assert balance == {
        "cashBalance": 0,
        "creditBalance": 5_000_000,
        "reservedAmount": 0,
        "totalBalance": 5_000_000,
    }


def test_checkout_url_credits_the_account_once(emulator: Emulator) -> None:
    with emulator.client() as client:
        session = data(client.post("/api/billing/checkout-session", json={"amount": 25}))
        assert session["url"].startswith(emulator.url)
        visit = data(httpx.get(session["url"]))  # what a browser would do; no key
        assert visit["emulated"] is True
        httpx.get(session["url"])
        assert data(client.get("/api/billing/balance"))["cashBalance"] == 25_000_000
        payments = data(client.get("/api/billing/payments"))
    assert [(p["type"], p["amountMicroUsd"]) for p in payments] == [
        ("payment", 25_000_000),
        ("credit", 5_000_000),
    ]


@pytest.mark.parametrize("amount", [4, 1001])
def test_checkout_amount_is_bounded(emulator: Emulator, amount: int) -> None:
    with emulator.client() as client:
        error(client.post("/api/billing/checkout-session", json={"amount": amount}), 400, "VALIDATION_ERROR")


def test_subscription_checkout_upgrades_a_free_account(emulator_factory: object) -> None:
    key = new_key()
    emulator = emulator_factory(seed_keys=[f"{key}:free:solo"])  # type: ignore[operator]
    with emulator.client(key) as client:
        usage = data(client.get("/api/billing/usage-summary"))
        assert (usage["plan"], usage["limits"]["requestsPerMinute"]) == ("free", 60)
        session = data(client.post("/api/billing/subscription-checkout"))
        data(httpx.get(session["url"]))
        assert data(client.get("/api/account/summary"))["plan"] == "pro"
        error(client.post("/api/billing/subscription-checkout"), 409, "CONFLICT")
        assert data(client.post("/api/billing/portal-session"))["url"].startswith(emulator.url)


def test_unknown_checkout_session_is_404(emulator: Emulator) -> None:
    error(httpx.get(f"{emulator.url}/api/billing/checkout/cs_nothing"), 404, "NOT_FOUND")


def test_reserve_settle_release(emulator: Emulator) -> None:
    assert emulator.server is not None
    store = emulator.server.store
    account = store.accounts.account_of_key(emulator.key)
    assert account is not None
    store.billing.reserve(account, 3_000_000, "job-1")
    assert store.billing.balance(account)["totalBalance"] == 2_000_000
    with pytest.raises(Exception, match="cannot cover") as caught:
        store.billing.reserve(account, 2_500_000, "job-2")
    assert getattr(caught.value, "status", None) == 402
    store.billing.settle(account, "job-1", 1_000_000)
    assert store.billing.balance(account) == {
        "cashBalance": 0,
        "creditBalance": 4_000_000,
        "reservedAmount": 0,
        "totalBalance": 4_000_000,
    }
    store.billing.reserve(account, 1_000_000, "job-3")
    store.billing.release(account, "job-3")
    assert store.billing.balance(account)["reservedAmount"] == 0
