"""A process that opens files as NetSim's users do, under a memory cap, and says what happened.

    python tests/adversarial_worker.py CAP_BYTES      (from the repository's root)

Reads one JSON request a line on stdin, {"how": ..., "path": ..., "config": {...}}, and
answers one JSON line on stdout: {"outcome": "loaded"} (and two training steps went through),
{"outcome": "refused", "stage": "read" or "run", "error": "FileFormatError", "message": ...}
for one of NetSim's own errors while reading the file or building and training from it, {"outcome": "exit", "code": n, "stderr": ...} from netsim-train, or
{"outcome": "unexpected", "traceback": ...} for anything else, a MemoryError at the cap among
them. The address space is capped with setrlimit before numpy is imported, so a file that
makes NetSim allocate beyond the cap fails here instead of taking the machine's memory.
"""
import contextlib
import io
import json
import resource
import sys
import traceback


def cap_memory(n_bytes: int):
    resource.setrlimit(resource.RLIMIT_AS, (n_bytes, n_bytes))


def open_file(how: str, path: str, config: dict) -> dict:
    from netsim import Config, NetsimError, Trainer
    from netsim.cli import main
    from netsim.config_file import load_config_file
    from netsim.datasets import load_csv
    from netsim.io import import_weights
    from netsim.lessons import load_lesson
    from netsim.session import load_session

    if how.startswith("cli"):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main([f"--{how[4:]}", path, "--steps", "2", "--quiet"])
        return {"outcome": "exit", "code": code, "stderr": stderr.getvalue()}
    stage = "read"          # reading the file; then "run": building and training from it
    try:
        if how == "session":
            trainer = load_session(path)
        elif how == "weights":
            trainer = Trainer(Config.from_dict(config))
            import_weights(trainer, path)
        elif how == "lesson":
            lesson = load_lesson(path)
            stage = "run"
            trainer = Trainer(lesson.config)
        elif how == "config":
            settings = load_config_file(path)
            stage = "run"
            trainer = Trainer(settings)
        elif how == "csv":
            load_csv(path)
            stage = "run"
            trainer = Trainer(Config.from_dict({**config, "csv_path": path}))
        else:
            raise ValueError(f"unknown request {how!r}")
        stage = "run"
        trainer.step(2)
    except NetsimError as exc:
        return {"outcome": "refused", "stage": stage, "error": type(exc).__name__,
                "message": str(exc)}
    return {"outcome": "loaded"}


def serve(requests, replies):
    for line in requests:
        request = json.loads(line)
        try:
            reply = open_file(request["how"], request["path"], request.get("config", {}))
        except BaseException:           # what the test looks for: anything not ours
            reply = {"outcome": "unexpected", "traceback": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    cap_memory(int(sys.argv[1]))
    import netsim  # noqa: F401  (sets single-threaded BLAS before numpy loads)
    serve(sys.stdin, sys.stdout)
