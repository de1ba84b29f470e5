"""Keys handled whole, one at a time, in the order they were typed (part of the app shell).

Textual hands each key to the focused widget's own queue and returns at once.
A printable key is handled there, but Enter, Tab, arrows and every binding
bubble back up to the app through other queues before their action runs. When
keys arrive together (a stalled SSH link delivers ten at once, a paste a
hundred), the characters typed *after* an Enter or a Tab are inserted before
that Enter is submitted or that Tab moves the focus: lines glue together, a
form's second field lands in its first, and a key typed into a form that is
still opening goes to the screen behind it. (Textual issue 6605.)

So the app takes every key and paste itself and delivers it whole before it
looks at the next one: it waits until the screen has handled what earlier keys
set off (a screen being pushed, a submitted line, a field clearing), and until
any work that must finish first (an unlock) has finished; then it walks the
key up from the focused widget in this turn, and runs the binding it meets.

Work that holds keys may say how to stop it (``hold_keys(cancel)``: an intake of a
4 GiB file takes a minute). Then Esc, or whatever key the top screen binds to its
``cancel`` action, stops it even though it is queued behind other held keys, and is
spent doing so (it would otherwise close the dialog once the work ended); the lock key
stops it too and then locks; the keys typed meanwhile still come after, in order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.messages import CloseMessages
from textual.widget import Widget
from textual.widgets import Input

#: How long one key waits at most for the screen to settle: past that the key is
#: delivered anyway (a key late is better than a key lost). Counted in this process's
#: CPU time, so that a machine too busy to run the app (a workstation under load, a
#: CI runner) does not spend the wait before the earlier key's work has even run (a
#: save, then Escape: the form asked "leave without saving?" over its own save); a
#: widget stuck without running is waited out by the wall-clock cap.
SETTLE_CPU_SECONDS = 2.0
SETTLE_WALL_SECONDS = 10.0
HOLD_SECONDS = 30.0
#: How often a held key looks at the keys queued behind it for one that stops the work.
STOP_POLL_SECONDS = 0.05
#: Rounds of "let every widget handle what it has queued": a message posted in
#: one round (a submitted line bubbling up) is handled in the next.
SETTLE_ROUNDS = 32


class _Budget:
    """One key's wait for the screen to settle: SETTLE_CPU_SECONDS of this process's
    CPU time, or SETTLE_WALL_SECONDS of the wall clock, whichever comes first."""

    def __init__(self) -> None:
        self.cpu = time.process_time() + SETTLE_CPU_SECONDS
        self.wall = time.monotonic() + SETTLE_WALL_SECONDS

    def spent(self) -> bool:
        return time.process_time() >= self.cpu or time.monotonic() >= self.wall


class KeysInOrder(App):  # type: ignore[type-arg]
    """The app's key and paste delivery; see the module's docstring."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._holds = 0
        self._released = asyncio.Event()
        self._released.set()
        self._cancels: list[Callable[[], None]] = []

    def hold_keys(self, cancel: Callable[[], None] | None = None) -> None:
        """Keys typed from now on wait (an unlock in a worker): they belong to what comes after.

        ``cancel`` (thread-safe, quick: it only asks) stops the held work early; it runs
        once, on the cancel or lock key (see the module's docstring) or ``cancel_held_work``."""
        self._holds += 1
        self._released.clear()
        if cancel is not None:
            self._cancels.append(cancel)

    def release_keys(self, cancel: Callable[[], None] | None = None) -> None:
        """The held work ended (``cancel``: the one ``hold_keys`` was given, if any)."""
        if cancel is not None and cancel in self._cancels:
            self._cancels.remove(cancel)
        self._holds = max(0, self._holds - 1)
        if not self._holds:
            self._released.set()

    def cancel_held_work(self) -> None:
        """Ask every held work that can stop to stop (a lock must not wait a minute for it)."""
        cancels, self._cancels = self._cancels, []
        for cancel in cancels:
            cancel()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and not self.app_focus:
                self.app_focus = True
            await self._deliver(event)
            return
        await super().on_event(event)

    async def _deliver(self, event: events.Key | events.Paste) -> None:
        await self._settle()  # what the previous key set off may take a hold (an unlock does)
        if self._holds:
            if not await self._held(event):
                return  # spent: it stopped the held work
            await self._settle()
        if isinstance(event, events.Key):
            await self._deliver_key(event)
        else:
            await self._deliver_paste(event)

    async def _held(self, event: events.Key | events.Paste) -> bool:
        """Wait until the held work ends, stopping it on a key that asks (see the module's
        docstring). False if ``event`` itself was the cancel key, spent on stopping it."""
        deadline = time.monotonic() + HOLD_SECONDS
        while not self._released.is_set():
            if self._cancels and not self._look_for_stop(event):
                return False
            left = deadline - time.monotonic()
            try:
                await asyncio.wait_for(self._released.wait(), min(left, STOP_POLL_SECONDS) if self._cancels else left)
            except TimeoutError:
                if time.monotonic() >= deadline:  # held work that never said it ended: never hold keys again for it
                    self._holds = 0  # (its cancel stays: a lock still stops it)
                    self._released.set()
        return True

    def _look_for_stop(self, event: events.Key | events.Paste) -> bool:
        """Stop the held work if ``event`` or a key queued behind it asks; False if
        ``event`` is spent so. A cancel key queued is taken out of the queue (spent), the
        rest put back in order: only this task reads the queue while a key is held."""
        if isinstance(event, events.Key) and (spent := self._stops_work(event.key)) is not None:
            self.cancel_held_work()
            return not spent
        taken = self._take_queued()
        for n, message in enumerate(taken):
            if isinstance(message, events.Key) and not message.is_forwarded:
                spent = self._stops_work(message.key)
                if spent is not None:
                    self.cancel_held_work()
                    if spent:
                        del taken[n]
                    break
        for message in taken:
            self._message_queue.put_nowait(message)
        return True

    def _stops_work(self, key: str) -> bool | None:
        """True: ``key`` runs the top screen's ``cancel`` (it stops the work and is spent).
        False: it locks (it stops the work, then locks). None: an ordinary key. By the
        bindings in force, so a keymap's own keys for either count."""
        try:
            chain = self.screen._binding_chain
        except Exception:  # noqa: BLE001 - no screen yet, or one being torn down
            return None
        for node, bindings in chain:
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.action == "cancel" and node is not self:
                    return True
                if binding.action == "lock" and node is self:
                    return False
        return None

    async def _deliver_key(self, event: events.Key) -> None:
        screen = self.screen
        if screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
            screen.minimize()
            return
        if self.focused is not None:
            screen._clear_tooltip()
        if await self._check_bindings(event.key, priority=True):
            return
        if await self._walk_up(self.focused or screen, event):
            return
        # What App._on_key does once a key has bubbled up to the app.
        if not await self._check_bindings(event.key):
            from textual._dispatch_key import dispatch_key

            await dispatch_key(self, event)

    async def _deliver_paste(self, event: events.Paste) -> None:
        """Nothing pasted is dropped. Textual's one-line field keeps only the first
        line of a paste: a field that takes lines one by one (the note line) gets them
        all through ``paste_lines``; any other one-line field gets them joined by
        spaces, and the officer is told."""
        target = self.focused
        lines = event.text.splitlines()
        filled = [line.strip() for line in lines if line.strip()]
        if isinstance(target, Input) and len(filled) > 1:
            paste_lines = getattr(target, "paste_lines", None)
            if callable(paste_lines) and paste_lines(lines):
                return
            event = events.Paste(" ".join(filled))
            self.notify(f"{len(filled)} pasted lines joined into one: this field takes one line.", markup=False)
        elif isinstance(target, Input) and len(lines) > 1:
            event = events.Paste(next((line for line in lines if line.strip()), ""))  # a line and its newline
        await self._walk_up(target or self.screen, event)

    async def _walk_up(self, node: MessagePump | None, event: events.Key | events.Paste) -> bool:
        """Handle the event on the node and each parent up to the screen, here and
        now; True if one of them stopped it."""
        event._set_forwarded()
        event.bubble = False  # type: ignore[misc]  # this walk is the bubbling
        while node is not None and node is not self:
            with node._context():
                await node._dispatch_message(event)
            if event._stop_propagation:
                return True
            node = node._parent
        return False

    async def _settle(self) -> None:
        """Wait until what earlier keys set off is done: the app's own queued calls
        (``focus()`` and ``call_later`` land there) and the screen's widgets' queues."""
        budget = _Budget()
        for _ in range(SETTLE_ROUNDS):
            ran = await self._run_own_queue()
            try:
                nodes = [
                    node
                    for node in self.screen.walk_children(Widget, with_self=True)
                    if not node._message_queue.empty()
                ]
            except Exception:  # noqa: BLE001 - no screen yet, or one being torn down
                return
            if not nodes:
                if ran:
                    continue  # what ran may have queued more
                return
            if not await self._all_handled(nodes, budget):
                return

    async def _all_handled(self, nodes: list[Widget], budget: _Budget) -> bool:
        """True once every node has handled what it had queued (False: out of time)."""
        done = asyncio.Event()
        pending = 0

        def handled() -> None:
            nonlocal pending
            pending -= 1
            if pending <= 0:
                done.set()

        for node in nodes:
            if node.call_later(handled):
                pending += 1
        if not pending:
            return True
        while not done.is_set():
            if budget.spent():
                return False
            try:
                await asyncio.wait_for(done.wait(), 0.05)
            except TimeoutError:
                pass
        return True

    async def _run_own_queue(self) -> bool:
        """Handle, here, the app's queued messages that are not input (this task is the
        app's, busy with a key): input stays queued, in order, for after. True if any ran."""
        ran = False
        kept: list[Message | None] = []
        while True:
            taken = self._take_queued()
            if not taken:
                break
            for message in taken:
                if kept and (kept[-1] is None or isinstance(kept[-1], CloseMessages)):
                    kept.append(message)  # closing: leave everything after it alone
                elif message is None or isinstance(message, (events.InputEvent, events.Paste, CloseMessages)):
                    kept.append(message)
                else:
                    ran = True
                    await self._dispatch_message(message)
            if not ran or (kept and (kept[-1] is None or isinstance(kept[-1], CloseMessages))):
                break
        for message in kept:
            self._message_queue.put_nowait(message)
        if self._next_callbacks:
            await self._flush_next_callbacks()
        return ran

    def _take_queued(self) -> list[Message | None]:
        taken: list[Message | None] = []
        if self._pending_message is not None:
            taken.append(self._pending_message)
            self._pending_message = None
            self._message_queue.task_done()  # it was taken off the queue; put back or handled below
        while True:
            try:
                taken.append(self._message_queue.get_nowait())
            except asyncio.QueueEmpty:
                return taken
            self._message_queue.task_done()
