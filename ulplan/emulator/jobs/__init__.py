"""Pure helpers of the emulated jobs: catalogues, timelines, curves, generated files.

Nothing here touches SQLite or HTTP; the job stores (``store/training.py``,
``store/exports.py``, ``store/deployments.py``) combine these with the database.
"""
