"""Guards the PySide6 pin in pyproject.toml.

PySide6 6.12.0 on Python 3.10/3.11 decrements None's refcount on every call of a method
that returns void (`item.setPos()`, `item.update()`...). None's refcount is a few thousand
on those Pythons, so after a few thousand such calls the interpreter aborts with
"Fatal Python error: none_dealloc". The network view makes that many calls in seconds.
If this test crashes the run or fails, the installed PySide6 has the bug: pin around it.
"""

import sys

from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene

CALLS = 10**6


def test_void_method_calls_keep_none_refcount(qapp):
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0.0, 0.0, 10.0, 10.0)
    scene.addItem(item)
    set_pos = item.setPos

    before = sys.getrefcount(None)
    for _ in range(CALLS):
        set_pos(1.0, 2.0)
    after = sys.getrefcount(None)

    assert before - after < 1000, f"None lost {before - after} references over {CALLS} void calls"
