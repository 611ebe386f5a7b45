"""Pausing Python's cyclic garbage collector during bulk work on one map.

Loading, checking and evaluating a map make hundreds of thousands of small objects
(tuples, dictionaries, named tuples) and free almost none, and none of them form
reference cycles. Each time enough new objects pile up, the collector walks every
object of the oldest generation, so on a large map the walks, not argmap's own work,
take a good part of the time, and more the larger the map. Reference counting still
frees everything as usual while the collector is paused; cycles made meanwhile (few)
are collected when it resumes. Resumed while those objects are still alive, its next
collections walk every one of them once more, so a command that ends with them (such as
``argmap check``) keeps the pause until they are freed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the ``with`` block (or decorated call), then resume it.

    Nests: only the outermost pause resumes it, and a collector switched off by the
    caller stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
