"""The encrypted engine: SQLCipher under SQLAlchemy, hardened and checked at every open.

Settings, and why (shared/SECURITY.md, requirement 2):

* ``cipher_log_level = NONE`` first of all: since SQLCipher 4.6 warnings go to
  stderr, which would corrupt a full-screen terminal app.
* ``key`` is a raw 256-bit key (``x'...'``), never a passphrase: SQLCipher's
  own KDF is skipped because ours (Argon2id, keyslots.py) is stronger.
* ``secure_delete = ON``: deleted records are overwritten, not left in free pages.
* ``foreign_keys = ON``: relationships are enforced by the schema.
* ``journal_mode = WAL`` with ``synchronous = FULL``: every commit is fsynced
  (a quick note survives a power cut); WAL lets ``backup``, ``check`` and
  ``export`` read a consistent snapshot while the app writes, and a commit is
  one sequential append, which keeps note commits fast. The -wal holds
  encrypted pages only; the -shm holds no content. Both are created 0600
  (umask 077) and truncated by a checkpoint at close.
* ``temp_store = MEMORY`` and a build with ``TEMP_STORE >= 2``: no temp files
  with decrypted pages on disk.
* ``trusted_schema = OFF``: no SQL functions run from schema definitions.

Every connection is checked after these pragmas; a build or database that does
not honour them is refused (UnsafeBuild) rather than used.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from hrd_tui.errors import ConstraintViolation, HrdError, StorageFull, UnsafeBuild, VaultDamaged, from_db_error
from hrd_tui.history_hooks import VaultSession

BUSY_TIMEOUT_MS = 5000


def _pragma(conn: sqlcipher3.Connection, sql: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = conn.execute(sql).fetchall()
    return rows


def connect_raw(path: Path, db_key: bytes, *, readonly: bool = False) -> sqlcipher3.Connection:
    """Open one hardened SQLCipher connection, or raise a user error.

    ``isolation_level=None`` hands transaction control to SQLAlchemy's
    ``begin`` hook below (pysqlite's implicit BEGIN is known to be wrong).
    """
    uri = "file:" + urllib.parse.quote(str(path)) + ("?mode=ro" if readonly else "")
    conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        _pragma(conn, "PRAGMA cipher_log_level = NONE")
        _pragma(
            conn, "PRAGMA cipher_memory_security = ON"
        )  # SQLCipher wipes (and mlocks) its buffers: process-wide, sticky
        # The key is hex of random bytes: no quoting issue, nothing user-supplied.
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            full = from_db_error(exc, "opening the vault")
            if isinstance(full, StorageFull):  # no room for the -wal/-shm: a full disk, not damage
                raise full from exc
            raise VaultDamaged(
                "The vault database does not open with the key from its header: it is damaged, "
                "or the header belongs to another vault."
            ) from exc
        harden(conn, readonly=readonly)
        return conn
    except BaseException:
        conn.close()
        raise


def harden(conn: sqlcipher3.Connection, *, readonly: bool = False) -> None:
    _pragma(conn, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _pragma(conn, "PRAGMA secure_delete = ON")
    _pragma(conn, "PRAGMA foreign_keys = ON")
    _pragma(conn, "PRAGMA temp_store = MEMORY")
    _pragma(conn, "PRAGMA trusted_schema = OFF")
    if not readonly:
        _pragma(conn, "PRAGMA journal_mode = WAL")
    _pragma(conn, "PRAGMA synchronous = FULL")
    verify_hardening(conn, readonly=readonly)


def verify_hardening(conn: sqlcipher3.Connection, *, readonly: bool = False) -> dict[str, str]:
    """Read every setting back; refuse to run on a build or file that ignores one."""
    found: dict[str, str] = {}
    version = _pragma(conn, "PRAGMA cipher_version")
    found["cipher_version"] = version[0][0] if version else ""
    if not found["cipher_version"] or not found["cipher_version"].startswith("4."):
        raise UnsafeBuild("This SQLite is not SQLCipher 4.x; refusing to store anything with it.")
    options = {row[0] for row in _pragma(conn, "PRAGMA compile_options")}
    temp_store = next((o.split("=", 1)[1] for o in options if o.startswith("TEMP_STORE=")), "1")
    found["compile TEMP_STORE"] = temp_store
    if int(temp_store) < 2:
        raise UnsafeBuild("This SQLCipher build may write temporary files to disk (TEMP_STORE < 2); refusing.")
    expected = {
        "secure_delete": "1",
        "foreign_keys": "1",
        "temp_store": "2",
        "synchronous": "2",
        "trusted_schema": "0",
    }
    if not readonly:
        expected["journal_mode"] = "wal"
    for name, want in expected.items():
        got = str(_pragma(conn, f"PRAGMA {name}")[0][0]).lower()
        found[name] = got
        if got != want:
            raise UnsafeBuild(f"The database refused the setting {name}={want} (got {got}); refusing to run.")
    level = _pragma(conn, "PRAGMA cipher_log_level")
    found["cipher_log_level"] = level[0][0] if level else ""
    if found["cipher_log_level"].upper() != "NONE":
        raise UnsafeBuild("SQLCipher logging could not be silenced; refusing to run.")
    return found


def make_engine(path: Path, db_key: bytes, *, readonly: bool = False) -> Engine:
    """A SQLAlchemy engine whose every pooled connection is a hardened SQLCipher one."""
    key = bytes(db_key)

    def creator() -> sqlcipher3.Connection:
        return connect_raw(path, key, readonly=readonly)

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:  # one user action = one explicit transaction
        conn.exec_driver_sql("BEGIN")

    return engine


class Store:
    """An open, unlocked database. ``close()`` drops every connection and the key.

    Sessions may run on worker threads (an import's match and write) while the app
    locks from the UI thread: ``close()`` refuses new sessions at once, then waits for
    those under way to end, so a transaction is never cut by a lock and no connection
    outlives the key. A worker must therefore never wait on the UI thread while it
    holds a session (``call_from_thread`` comes after the ``with`` block).
    """

    def __init__(self, path: Path, db_key: bytes, *, readonly: bool = False) -> None:
        self._open(path, make_engine(path, db_key, readonly=readonly), readonly)

    @classmethod
    def on_engine(cls, path: Path, engine: Engine, *, readonly: bool = False) -> Store:
        """A store over an engine made elsewhere (bench_store's unencrypted baseline)."""
        store = cls.__new__(cls)
        store._open(path, engine, readonly)
        return store

    def _open(self, path: Path, engine: Engine, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.engine: Engine | None = engine
        self._users = threading.Condition()
        self._in_use: dict[int, int] = {}  # thread ident -> sessions it has open
        self._closing = False

    @property
    def is_open(self) -> bool:
        return self.engine is not None and not self._closing

    @contextmanager
    def _use(self) -> Iterator[Engine]:
        """The engine, counted as in use by this thread until the block ends."""
        me = threading.get_ident()
        with self._users:
            if self.engine is None or self._closing:
                raise HrdError("The vault is locked.")
            engine = self.engine
            self._in_use[me] = self._in_use.get(me, 0) + 1
        try:
            yield engine
        finally:
            with self._users:
                self._in_use[me] -= 1
                if not self._in_use[me]:
                    del self._in_use[me]
                self._users.notify_all()

    def _others_done(self) -> bool:
        me = threading.get_ident()
        return not any(n for ident, n in self._in_use.items() if ident != me)

    @contextmanager
    def session(self, what: str = "saving to the vault") -> Iterator[Session]:
        """One user action, one transaction: committed whole, or rolled back whole.

        Database errors become user errors here, once, for every caller.
        """
        with self._use() as engine, VaultSession(engine, expire_on_commit=False) as session:
            with _committed(session, what):
                yield session

    @contextmanager
    def schema_session(self, what: str = "upgrading the vault") -> Iterator[Session]:
        """A transaction that may rebuild tables: the migrations' (SQLite's own procedure
        for schema changes: foreign keys off, the change, foreign_key_check, commit).

        With foreign keys on, rebuilding a table others refer to drops the old one, and
        its implicit DELETE cascades: upgrading a vault rebuilt ``contact`` and took
        every channel and consent with it (ON DELETE CASCADE), and a rebuilt
        ``consent_record`` was refused outright (RESTRICT). ``foreign_keys`` cannot
        change inside a transaction, so it is set on the connection before BEGIN and set
        back after; every reference is checked before the commit instead.
        """
        with self._use() as engine, engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            dbapi.execute("PRAGMA foreign_keys = OFF")  # before BEGIN (the session's): inside, a no-op
            try:
                with VaultSession(bind=conn, expire_on_commit=False) as session:
                    # What already pointed nowhere (a vault damaged earlier) is not this change's doing.
                    before = _dangling(session)
                    with _committed(session, what, before_commit=lambda: _references_hold(session, what, before)):
                        yield session
            finally:
                _foreign_keys_back_on(conn)

    @contextmanager
    def raw(self) -> Iterator[sqlcipher3.Connection]:
        """The DBAPI connection, for PRAGMAs and maintenance (check, backup)."""
        with self._use() as engine, engine.connect() as conn:
            yield conn.connection.dbapi_connection

    def checkpoint(self) -> None:
        if self.engine is not None and not self.readonly:
            with self._use() as engine:
                _checkpoint(engine)

    def close(self) -> None:
        """Refuse new sessions, wait for other threads' sessions to end, then drop
        every connection. Waits without a limit: what a worker writes is bounded by the
        import limits (limits.py), and cutting it would lose what the officer confirmed."""
        with self._users:
            if self.engine is None or self._closing:
                return
            self._closing = True
            self._users.wait_for(self._others_done)
            engine = self.engine
        try:
            if not self.readonly:
                _checkpoint(engine)
        finally:
            with self._users:
                self.engine = None
                self._closing = False
            engine.dispose()


@contextmanager
def _committed(session: Session, what: str, *, before_commit: Callable[[], None] | None = None) -> Iterator[None]:
    """Commit what the block did, or roll it all back; database errors become user errors."""
    try:
        yield
        if before_commit is not None:
            before_commit()
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        raise from_db_error(exc, what) from exc
    except HrdError:
        session.rollback()
        raise
    except Exception as exc:
        # Anything else (SQLAlchemy's StatementError quotes the parameters:
        # vault data) becomes one line with no detail.
        session.rollback()
        raise HrdError(f"Unexpected error while {what} ({type(exc).__name__}); nothing was saved.") from exc
    except BaseException:
        session.rollback()
        raise


def _dangling(session: Session) -> set[tuple[Any, ...]]:
    """Every reference that points nowhere: (table, rowid, parent table, key number)."""
    return {tuple(row) for row in session.connection().exec_driver_sql("PRAGMA foreign_key_check")}


def _references_hold(session: Session, what: str, before: set[tuple[Any, ...]]) -> None:
    """No reference points nowhere that did not before (checked whole: foreign keys were off)."""
    broken = _dangling(session) - before
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise ConstraintViolation(
            f"While {what}, {len(broken)} record(s) of {', '.join(tables)[:200]} would point at records "
            "that are not there; nothing was changed."
        )


def _foreign_keys_back_on(conn: Connection) -> None:
    """Foreign keys on again for the next user of the pooled connection; a connection
    where that cannot be made sure of (closed, or still in a transaction, where the
    pragma does nothing) is thrown away instead of going back to the pool."""
    try:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        dbapi.execute("PRAGMA foreign_keys = ON")
        if dbapi.execute("PRAGMA foreign_keys").fetchone()[0] == 1:
            return
    except Exception:  # noqa: BLE001 - closed or broken: not to be reused either way
        pass
    conn.invalidate()


def _checkpoint(engine: Engine) -> None:
    """Fold the -wal into the database and truncate it (at close: nothing left beside it)."""
    try:
        with engine.connect() as conn:
            conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - closing must not fail on a busy checkpoint
        pass
