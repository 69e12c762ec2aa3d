"""Flask extension singletons, bound to the app in the factory."""
import contextlib
import sqlite3
from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model: typed mappings (`Mapped[...]`, `mapped_column`) on our metadata."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(Base, _FlaskModel):
        """What `db.Model` is, spelt so a type checker sees it: mypy takes no attribute of an instance as a
        base class (python/mypy#8603), so the models subclass this name."""

        __abstract__ = True
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def write_ahead_on_sqlite(engine: Engine) -> None:
    """SQLite: readers and the writer no longer block each other (write-ahead log), and a commit no longer
    waits for the disk (synchronous=NORMAL). A crashed process loses nothing it committed; a power cut or
    a crash of the machine may lose the last commits before it, never the database's consistency.
    Attached to the app's engine only, and only when it is SQLite's."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_write_ahead_log)


def _sqlite_write_ahead_log(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Switching an empty file to WAL writes its header: a database no one has created yet stays absent
    # (init-db creates it; the next connection switches it).
    # The mode is stored in the file, so only the first connection after init-db switches it; one that
    # races another writer for that switch leaves it to the next connection instead of failing.
    if (dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
            and dbapi_connection.execute("PRAGMA page_count").fetchone()[0] > 0):
        with contextlib.suppress(sqlite3.OperationalError):
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
