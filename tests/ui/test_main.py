"""ui.shell.main: the unexpected-error hook."""
import logging
import sys

from ui.shell import main


def test_unexpected_error_is_logged_and_shown_without_traceback(tmp_path, shown_notices,
                                                                monkeypatch):
    log_file = tmp_path / "netsim.log"
    handler = logging.FileHandler(log_file)
    main.log.addHandler(handler)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)     # restored after the test
    try:
        main.install_exception_hook(lambda: None, log_file)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        main.log.removeHandler(handler)
        handler.close()
    title, text = shown_notices[-1]
    assert title == "Unexpected error" and "boom" in text and "Traceback" not in text
    assert str(log_file) in text
    assert "Traceback" in log_file.read_text() and "RuntimeError: boom" in log_file.read_text()
