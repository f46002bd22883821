"""A local emulator of the Ultralytics Platform REST API (``ulplan serve``).

It keeps real state in SQLite and follows the API contract (envelope, error codes,
pagination, scopes, rate limits, trash, billing, storage). Training, exports and
deployments are *emulated*: their state machines, timings, billing and events are real,
but no model is trained, converted or served.

Nothing here imports the reconciler (ulplan.client, ulplan.plan, ...): the emulator
stands on its own, as the real platform would.
"""
