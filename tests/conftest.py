import os

# Qt picks its platform plugin when the first QApplication is created, and aborts the
# process if it cannot open a display; tests run on machines without one. setdefault
# keeps a platform chosen by whoever runs the tests (e.g. xcb to watch them).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Imported before any test module loads numpy, so that its single-threaded BLAS setting
# (see netsim/__init__.py) applies to the whole run.
import netsim  # noqa: E402,F401
