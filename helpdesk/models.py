"""Imports every area's SQLAlchemy models so that migrations and `db` see all tables."""
