"""Backups of what cannot be rebuilt: the database and the instance folder's other files (the session
signing key and any other key or log kept there, outside the database).

Rebuilt on their own, so not in a backup: the search index (`helpdesk index build`, or at start), the
passage-embedding cache and the routing examples' embeddings (both re-embedded when missing).
"""
from .archive import BackupError, Summary, backup, restore

__all__ = ["BackupError", "Summary", "backup", "restore"]
