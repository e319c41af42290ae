"""Reading a QPainter's state from Python without keeping a reference into it.

QPainter.worldTransform() hands Python the painter's own transform, not a copy. An item's paint
that worked with it at length (the edge labels' placement) made a later QPainter.save() crash,
depending on what else the process had allocated (a clean clone's test run, reproduced and
cured here). Every paint method takes a copy through this function instead.
"""
from PySide6.QtGui import QPainter, QTransform


def world_transform(painter: QPainter) -> QTransform:
    """A copy of the painter's world transform, built from its nine numbers."""
    t = painter.worldTransform()
    return QTransform(t.m11(), t.m12(), t.m13(), t.m21(), t.m22(), t.m23(),
                      t.m31(), t.m32(), t.m33())
