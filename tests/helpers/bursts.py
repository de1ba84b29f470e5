"""Keys handed to the app all at once, the way its terminal driver hands what one read
from the terminal brought (a stalled SSH link delivers ten keys together, a paste a
hundred). Pilot's ``press`` waits after each key, so it never shows what goes wrong
when a key arrives before what the previous one set off has ended."""

from __future__ import annotations

import asyncio
import unicodedata

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


class BurstEnd(events.InputEvent):
    """Sent after a burst, as its keys are: the app reaches it only once it has taken
    every key before it (no handler: the screen it is forwarded to ignores it)."""


def key_event(key: str) -> events.Key:
    """A key as Pilot's ``press`` builds it: a name (``enter``, ``tab``) or one character."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(app, pilot, *keys: str | events.Paste) -> None:  # type: ignore[no-untyped-def]
    """Every key (or paste) handed to the app at once, as the driver does with one read
    from the terminal; then wait until the app has taken them all, and for what they set off."""
    end = BurstEnd()
    for item in (*[item if isinstance(item, events.Paste) else key_event(item) for item in keys], end):
        item.set_sender(app)
        app._driver.send_message(item)
    async with asyncio.timeout(30):
        while not end.is_forwarded:
            await asyncio.sleep(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()
