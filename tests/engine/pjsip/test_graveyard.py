"""Released players are destroyed on the pjsua2 thread only once no other thread
(pjmedia's event thread, inside the player's onEof2) still holds them."""

from __future__ import annotations

import threading
import weakref

from engine.pjsip.graveyard import Graveyard


class FakePlayer:
    """Stands in for a pjsua2 player: records the thread it was destroyed on."""

    def __init__(self, died_on: list[str]) -> None:
        self._died_on = died_on

    def __del__(self) -> None:
        self._died_on.append(threading.current_thread().name)


def test_a_player_nobody_else_holds_is_destroyed_on_the_burying_thread() -> None:
    died_on: list[str] = []
    graveyard = Graveyard()
    graveyard.keep(FakePlayer(died_on))
    graveyard.bury()
    assert died_on == [threading.current_thread().name]
    assert len(graveyard) == 0


def test_a_player_still_held_by_its_callback_waits_and_never_dies_on_that_thread() -> None:
    died_on: list[str] = []
    graveyard = Graveyard()
    player = FakePlayer(died_on)
    in_callback, callback_may_end = threading.Event(), threading.Event()

    def on_eof(held: FakePlayer) -> None:  # pjmedia's event thread, inside onEof2
        in_callback.set()
        callback_may_end.wait(5)
        del held

    callback = threading.Thread(target=on_eof, args=(player,), name="ev_thread")
    callback.start()
    in_callback.wait(5)
    gone = weakref.ref(player)
    graveyard.keep(player)
    del player  # the pjsua2 thread releases it while the callback still runs
    graveyard.bury()
    assert gone() is not None and len(graveyard) == 1
    callback_may_end.set()
    callback.join(5)
    assert died_on == []  # the callback's end did not destroy it
    graveyard.bury()
    assert died_on == [threading.current_thread().name]
