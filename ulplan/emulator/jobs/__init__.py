"""Helpers of the emulated jobs: catalogues, timelines, curves, generated files, views.

They hold no state and write nothing: the job stores (``store/training.py``,
``store/exports.py``, ``store/deployments.py``) combine them with the database. The one
part that does I/O is ``webhook_sender``, which posts events from its own thread.
"""
