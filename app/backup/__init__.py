"""Backup and restore of a whole installation as one file: `flask backup -o FILE`, `flask restore FILE`.

The file is a zip: `manifest.json` (format version, Alembic revision, app version, and per table
its columns, row count and SHA-256) and one JSON-lines file per table under `tables/`. Tables come
from the SQLAlchemy metadata, so a table a later issue adds is backed up without a change here;
only those named in `format.EXCLUDED`, each with its reason, are left out.

- format.py  what the file holds, and how each column type is written as JSON and read back
- writer.py  one consistent read snapshot of a running database, streamed into the zip
- restore.py checks the whole file first, then writes it in one transaction
- cli.py     the two commands, with progress per table
"""
from app.backup.format import EXCLUDED, BackupError, backed_up_tables
from app.backup.restore import restore_backup
from app.backup.writer import write_backup

__all__ = ["EXCLUDED", "BackupError", "backed_up_tables", "restore_backup", "write_backup"]
