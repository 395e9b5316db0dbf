"""Whether keys wait: work that follows a key gives way to the next one.

Owns ``input_waiting`` and ``after_input``. Work a key causes beyond its own frame (the
article previewed under the list cursor, the quotations found in it) is scheduled after
that frame with ``after_input``: when events are already queued (keys pressed while the
frame was made, a key held down), it waits for them and their frames first, so a run of
keys never queues work behind it. The wait is bounded (``MAX_DEFERRALS`` frames), so work
is never put off for ever by a stream of other messages.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.css.query import NoMatches
from textual.message_pump import MessagePump

MAX_DEFERRALS = 8
"""How many frames in a row one piece of work waits for queued events."""


def input_waiting(pump: MessagePump) -> bool:
    """Whether the app has events queued (Textual has no public way to ask)."""
    queue = getattr(pump.app, "_message_queue", None)
    return queue is not None and not queue.empty()


def gone(pump: MessagePump) -> bool:
    """Whether ``pump`` is closing or no longer in the app (the app is quitting)."""
    closing = getattr(pump, "_closing", False) or getattr(pump, "_closed", False)
    return bool(closing) or getattr(pump, "is_attached", True) is False


def after_input(pump: MessagePump, callback: Callable[[], object], deferrals: int = 0) -> None:
    """Call ``callback`` after the next frame, and after the events queued by then;
    never once ``pump`` is gone (the widgets it would touch may be removed already)."""

    def run() -> None:
        if gone(pump):
            return
        if deferrals < MAX_DEFERRALS and input_waiting(pump):
            after_input(pump, callback, deferrals + 1)
            return
        try:
            callback()
        except NoMatches:  # the screen is being taken down: nothing left to update
            if not gone(pump) and pump.app.is_running:
                raise

    pump.call_after_refresh(run)
