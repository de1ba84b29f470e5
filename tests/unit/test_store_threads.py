"""Sessions on worker threads against a lock from the UI thread (issue 15: import work
off the UI thread). The real store on a temp vault; the threads are real threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import HrdError
from hrd_tui.models import Contact
from hrd_tui.services import contacts
from hrd_tui.vault import Secret


def test_close_waits_for_a_worker_transaction_and_refuses_new_ones(vault_dir: Path, opened: vault.Vault) -> None:
    inside, go = threading.Event(), threading.Event()
    worker_error: list[BaseException] = []

    def worker() -> None:  # an import's write, still running when the officer locks
        try:
            with opened.store.session("importing contacts") as s:
                contacts.create_contact(s, {"name": "Eva Lind"}, [])
                inside.set()
                go.wait(10)
                contacts.create_contact(s, {"name": "Frank Ode"}, [])
        except BaseException as exc:  # noqa: BLE001 - compared below
            worker_error.append(exc)

    writer = threading.Thread(target=worker)
    writer.start()
    assert inside.wait(10)
    closer = threading.Thread(target=opened.close)  # the lock, from "the UI thread"
    closer.start()
    closer.join(0.5)
    assert closer.is_alive(), "the close did not wait for the open transaction"
    assert not opened.store.is_open
    with pytest.raises(HrdError, match="locked"):  # nothing new starts once the lock began
        with opened.store.session():
            pass
    go.set()
    writer.join(10)
    closer.join(10)
    assert not writer.is_alive() and not closer.is_alive() and worker_error == []
    assert opened.store.engine is None and not any(opened._data_key)
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as again, again.store.session() as s:
        assert sorted(c.name for c in s.exec(select(Contact))) == ["Eva Lind", "Frank Ode"]  # all of it, committed


def test_close_from_the_thread_holding_a_session_does_not_hang(opened: vault.Vault) -> None:
    done = threading.Event()

    def same_thread() -> None:
        with opened.store.session() as s:
            contacts.create_contact(s, {"name": "Eva Lind"}, [])
            opened.close()  # a lock inside one's own transaction: nothing to wait for
        done.set()

    thread = threading.Thread(target=same_thread, daemon=True)
    thread.start()
    assert done.wait(10), "close() waited for its own thread's session"
