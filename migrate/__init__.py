"""Moving an instance in and out: import a Memos v0.26 SQLite database, export one.

The import writes through the store modules (``memos.store``), so keys, counters, listing copies,
tag entries and stats come out as if made through the API; the export reads the table back and
writes Memos v0.26.2's own schema. The CLI (``memos-serverless import|export``) is
:mod:`migrate.commands`.
"""
