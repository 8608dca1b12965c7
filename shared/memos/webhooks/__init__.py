"""Memo webhooks, delivered from the table's change stream (spec memos.md §11).

``events`` turns a stream record into a memo event (or none), ``payload`` builds Memos' body,
``messages`` is what travels on the delivery queue, ``signing`` the Standard Webhooks
signature, ``ledger`` the marker that keeps a replayed delivery from reaching a receiver twice,
``retry`` the backoff, ``dispatcher`` and ``sender`` the two functions' logic.
"""
