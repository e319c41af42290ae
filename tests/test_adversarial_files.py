"""Files made to harm NetSim, of every format it reads, opened as its users open them.

Hypothesis mutates valid files (truncated, bytes flipped, JSON values replaced by hostile ones:
huge or long numbers, NaN, deep nesting, values of the wrong type; zip members replaced by
.npy headers claiming huge shapes or odd dtypes, named twice, removed, or claiming a huge size
in the zip directory; CSV cells replaced, thousands of columns added, other encodings) and
worker processes (adversarial_worker.py) open each through the API, netsim-train and the app's
File menu and lessons (offscreen) under a 1 GiB address-space cap. Every file must load and
train, or be refused with one of NetSim's own errors naming the file (the app: saying why and
keeping the run as it was); netsim-train must exit 0, 2 or 3 without a traceback. Nothing may
be unexpected, and nothing may need memory beyond the cap. Derandomized: the same examples on
every run.
"""
import io
import json
import os
import selectors
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netsim import Config, Trainer
from netsim.io import export_weights
from netsim.session import save_session

from hostile_files import nested, npy_bytes, npy_header, safetensors_bytes

ROOT = Path(__file__).resolve().parents[1]
MEMORY_CAP = 1 << 30
ANSWER_SECONDS = 60          # one file, on a slow machine; a file that stalls NetSim fails
SEED_CONFIG = {"dataset": "circle", "layers": [3, 2], "optimizer": "adam", "n_samples": 60,
               "batch_size": 8, "learning_rate": 0.05}
CSV_TEXT = "height,width,kind\n" + "".join(
    f"{0.1 * k:.2f},{(k * 7) % 11 / 3:.3f},{'ab'[k % 2]}\n" for k in range(24))


def fuzz(max_examples):
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# ---- the worker ---------------------------------------------------------------------------

class Worker:
    """adversarial_worker.py, started again if a file kills it; `options` ["--app", folder]
    opens files as the app does."""

    def __init__(self, options=()):
        self.process, self.options = None, list(options)

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "adversarial_worker.py"), str(MEMORY_CAP),
             *self.options],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})

    def ask(self, how, path, config=None) -> dict:
        if self.process is None or self.process.poll() is not None:
            self.start()
        request = {"how": how, "path": str(path), "config": config or SEED_CONFIG}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            ready = selector.select(ANSWER_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            pytest.fail(f"{how} {path}: the worker died or stalled "
                        f"({self.process.stderr.read()[-2000:]})")
        return json.loads(line)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()


@pytest.fixture(scope="module")
def worker():
    worker = Worker()
    yield worker
    worker.stop()


@pytest.fixture(scope="module")
def app_worker(tmp_path_factory):
    worker = Worker(["--app", str(tmp_path_factory.mktemp("app"))])
    yield worker
    worker.stop()


def assert_handled(reply, path):
    """Loaded, or refused by one of NetSim's errors (naming the file if reading it failed);
    nothing else."""
    assert reply["outcome"] != "unexpected", reply["traceback"]
    if reply["outcome"] == "refused" and reply["stage"] == "read":
        assert Path(path).name in reply["message"], reply["message"]
    if reply["outcome"] == "refused" and reply["stage"] == "app":
        assert reply["kept"] and reply["message"], reply
    if reply["outcome"] == "exit":
        assert reply["code"] in (0, 2, 3) and "Traceback" not in reply["stderr"], reply


# ---- valid files to start from ------------------------------------------------------------

class Seeds(dict):
    """name -> bytes; shown by its names in a failure's report, not by megabytes of bytes."""

    def __repr__(self):
        return f"Seeds({', '.join(self)})"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict:
    """name -> bytes of a valid file of each format."""
    folder = tmp_path_factory.mktemp("seeds")
    trainer = Trainer(Config(**SEED_CONFIG))
    trainer.step(12)
    files = {"session": save_session(trainer, folder / "run.netsim")}
    for suffix in (".npz", ".json", ".safetensors"):
        files[suffix] = export_weights(trainer, folder / f"net{suffix}")
    (folder / "data.csv").write_text(CSV_TEXT)
    csv_run = Trainer(Config(dataset="csv", csv_path=str(folder / "data.csv"), layers=[3]))
    csv_run.step(4)
    files["csv_session"] = save_session(csv_run, folder / "csv.netsim")
    seeds = Seeds({name: path.read_bytes() for name, path in files.items()})
    seeds["csv"] = CSV_TEXT.encode()
    seeds["config"] = json.dumps({**SEED_CONFIG, "activation": "relu", "reg_rate": 0.001,
                                  "regularization": "l2", "features": ["x1", "x2", "x1*x2"]
                                  }).encode()
    seeds["lesson"] = json.dumps({
        "schema_version": 1, "title": "T", "text": "What it shows.", "watch": "Where.",
        "try_next": "What next.", "config": {"dataset": "xor", "layers": [3], "seed": 2},
        "steps": 50, "chart": "loss", "sweep": {"field": "init", "values": ["zeros", "he_normal"]}
    }).encode()
    return seeds


# ---- mutations ----------------------------------------------------------------------------

HOSTILE_JSON = [
    "9" * 5000, "1" + "0" * 99, "-" + "9" * 120, "1e999", "-1e999", "NaN", "-Infinity",
    nested(40), nested(100_000), '{"a": ' * 64 + "1" + "}" * 64, "true", "false", "null", '""',
    '"' + "x" * 3000 + '"', "[]", "{}", "-1", "0", "1e30", "2.5", '"7"', "[[1, 2], [3]]",
    str(2**64), str(10**30), "-0.0", '"\\ud800"', "[1e308, 1e308]", '"weights/W0.npy"',
    '"order.npy"', '["weights/W0.npy", "weights/W0.npy", "weights/W0.npy"]',
]
_SENTINEL = "\x00hostile\x00"


def _paths(document) -> list[tuple]:
    """Every path (tuple of keys and indices) into a JSON document, the root first."""
    paths, todo = [], [((), document)]
    while todo:
        path, value = todo.pop()
        paths.append(path)
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, list) else ()
        todo.extend((path + (key,), child) for key, child in items)
    return sorted(paths, key=len)


def _at(document, path):
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated_json(draw, text: str) -> str:
    """JSON text with one to three values replaced (by hostile text or another value of the
    document), removed, or added."""
    document = json.loads(text)
    raw = {}
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        op = draw(st.sampled_from(["hostile", "copy", "remove", "add"]))
        if not path or op == "add":
            parent, key = _at(document, path), draw(st.sampled_from(["x", "sizes", "config"]))
            if not isinstance(parent, dict):
                continue
        else:
            parent, key = _at(document, path[:-1]), path[-1]
        if op == "remove":
            if isinstance(parent, dict):
                parent.pop(key, None)
        elif op == "copy":
            parent[key] = json.loads(json.dumps(_at(document, draw(st.sampled_from(paths)))))
        else:
            marker = f"{_SENTINEL}{len(raw)}"
            raw[json.dumps(marker)] = draw(st.sampled_from(HOSTILE_JSON))
            parent[key] = marker
    text = json.dumps(document)
    for marker, hostile in raw.items():
        text = text.replace(marker, hostile)
    return text


@st.composite
def mutated_bytes(draw, data: bytes) -> bytes:
    """Truncated, or a few bytes overwritten or inserted."""
    op = draw(st.sampled_from(["truncate", "overwrite", "insert"]))
    at = draw(st.integers(0, len(data)))
    if op == "truncate":
        return data[:at]
    chunk = draw(st.binary(min_size=1, max_size=8))
    return data[:at] + chunk + data[at + (len(chunk) if op == "overwrite" else 0):]


HUGE_SHAPES = [(10**12,), (2**62,), (4096, 4096, 4096), (3, 10**10), (0,), (), (2, 3)]
ODD_DTYPES = ["<f8", "<i8", "|O", "<c16", "|b1", "<U10", ">f8", "|V8", "<f2", "<M8[s]"]


@st.composite
def mutated_archive(draw, data: bytes, json_members=("manifest.json",)) -> bytes:
    """A zip of .npy members (and JSON ones) with members replaced, removed, named twice,
    or claiming a huge size in the directory; or its bytes damaged."""
    with zipfile.ZipFile(_bytes_file(data)) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    originals = dict(members)
    claims = {}
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(members) - 1))
        name, content = members[k]
        op = draw(st.sampled_from(["header", "array", "twice", "remove", "claim", "json"]))
        if op == "json" and name in json_members:
            text = originals[name].decode()
            members[k] = (name, draw(mutated_json(text)).encode())
        elif op == "json" and name == "architecture.npy":
            text = str(np.load(_bytes_file(originals[name])))
            members[k] = (name, npy_bytes(np.array(draw(mutated_json(text)))))
        elif op == "header":
            members[k] = (name, npy_header(draw(st.sampled_from(HUGE_SHAPES)),
                                           draw(st.sampled_from(ODD_DTYPES))))
        elif op == "array":
            shape = tuple(draw(st.lists(st.integers(0, 5), max_size=3)))
            members[k] = (name, npy_bytes(np.full(shape, draw(st.sampled_from(
                [0.0, np.nan, np.inf, 1e300, -3.0])))))
        elif op == "twice":
            members.append((name, content))
        elif op == "remove" and len(members) > 1:
            members.pop(k)
        elif op == "claim":
            claims[name] = draw(st.sampled_from([0, 1, 2**31, 2**32 - 1]))
    data = _zip_bytes(members, claims)
    return draw(mutated_bytes(data)) if draw(st.booleans()) and draw(st.booleans()) else data


def _bytes_file(data):
    return io.BytesIO(data)


def _zip_bytes(members, claims) -> bytes:
    """The archive of `members`, the directory entry of each member in `claims` saying it
    expands to that many bytes."""
    buffer = _bytes_file(b"")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "Duplicate name": meant
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in members:
                archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = int.from_bytes(data[entry + 28:entry + 30], "little")
        name = bytes(data[entry + 46:entry + 46 + name_length]).decode()
        if name in claims:
            data[entry + 24:entry + 28] = claims[name].to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 46)
    return bytes(data)


@st.composite
def mutated_safetensors(draw, data: bytes) -> bytes:
    """The header's JSON (or the architecture in its metadata) mutated, or the bytes damaged."""
    header_text = data[8:8 + int.from_bytes(data[:8], "little")].decode()
    body = data[8 + len(header_text):]
    op = draw(st.sampled_from(["header", "architecture", "bytes"]))
    if op == "header":
        return safetensors_bytes(draw(mutated_json(header_text)), body)
    if op == "architecture":
        header = json.loads(header_text)
        header["__metadata__"]["architecture"] = draw(
            mutated_json(header["__metadata__"]["architecture"]))
        return safetensors_bytes(header, body)
    return draw(mutated_bytes(data))


@st.composite
def mutated_csv(draw, text: str) -> bytes:
    """Cells replaced by hostile text, columns added by the thousand, another encoding, or the
    bytes damaged."""
    rows = [line.split(",") for line in text.splitlines()]
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            row = draw(st.integers(0, len(rows) - 1))
            column = draw(st.integers(0, len(rows[row]) - 1))
            rows[row][column] = draw(st.sampled_from(
                ["", "nan", "1e999", '"', '"a,b', "x" * 300, "9" * 400, "\ufeff", "\x00",
                 "-", "1,5", " 3 ", "\r"]))
        else:
            extra = draw(st.sampled_from([1, 50, 4100]))
            rows = [row + [str(k % 7) for k in range(extra)] for row in rows]
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "utf-16", "utf-32"]))
    data = "\n".join(",".join(row) for row in rows).encode(encoding, "surrogatepass")
    return draw(mutated_bytes(data)) if draw(st.booleans()) else data


# ---- the suite ----------------------------------------------------------------------------

def check(worker, folder, name, data, hows, config=None):
    path = folder / name
    path.write_bytes(data)
    for how in hows:
        reply = worker.ask(how, path, config)
        event(f"{how}: {reply['outcome']} {reply.get('stage', reply.get('code', ''))}")
        assert_handled(reply, path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


@fuzz(400)
@given(data=st.data())
def test_hostile_sessions_load_or_are_refused(worker, seeds, folder, data):
    kind = data.draw(st.sampled_from(["session", "csv_session"]))
    hostile = data.draw(mutated_archive(seeds[kind]))
    check(worker, folder, "run.netsim", hostile, ["session", "cli:resume"])


@fuzz(400)
@given(data=st.data())
def test_hostile_weight_files_load_or_are_refused(worker, seeds, folder, data):
    suffix = data.draw(st.sampled_from([".npz", ".json", ".safetensors"]))
    mutations = {".npz": lambda seed: mutated_archive(seed, ()),
                 ".json": lambda seed: mutated_json(seed.decode()).map(str.encode),
                 ".safetensors": mutated_safetensors}
    hostile = data.draw(mutations[suffix](seeds[suffix]))
    check(worker, folder, f"net{suffix}", hostile, ["weights"])


@fuzz(200)
@given(data=st.data())
def test_hostile_lessons_and_configs_load_or_are_refused(worker, seeds, folder, data):
    kind = data.draw(st.sampled_from(["lesson", "config"]))
    hostile = data.draw(st.one_of(mutated_json(seeds[kind].decode()).map(str.encode),
                                  mutated_bytes(seeds[kind])))
    check(worker, folder, "mine.json", hostile,
          ["lesson"] if kind == "lesson" else ["config", "cli:config"])


@fuzz(150)
@given(data=st.data())
def test_hostile_csv_files_load_or_are_refused(worker, seeds, folder, data):
    hostile = data.draw(mutated_csv(seeds["csv"].decode()))
    config = {"dataset": "csv", "layers": [3]}
    check(worker, folder, "data.csv", hostile, ["csv"], config)
    settings_path = folder / "csv_config.json"
    settings_path.write_text(json.dumps({**config, "csv_path": str(folder / "data.csv")}))
    check(worker, folder, "csv_config.json", settings_path.read_bytes(), ["cli:config"])


@fuzz(150)
@given(data=st.data())
def test_hostile_files_opened_in_the_app_load_or_are_refused_keeping_the_run(
        app_worker, seeds, folder, data):
    kind = data.draw(st.sampled_from(["session", "csv_session", ".npz", ".json",
                                      ".safetensors", "lesson"]))
    seed = seeds[kind]
    if kind in ("session", "csv_session", ".npz"):
        hostile = data.draw(mutated_archive(seed, ("manifest.json",) if "session" in kind
                                            else ()))
    elif kind == ".safetensors":
        hostile = data.draw(mutated_safetensors(seed))
    else:
        hostile = data.draw(mutated_json(seed.decode()).map(str.encode))
    name, how = {"session": ("run.netsim", "app:session"),
                 "csv_session": ("run.netsim", "app:session"),
                 "lesson": ("mine.json", "app:lesson")}.get(kind, (f"net{kind}", "app:weights"))
    check(app_worker, folder, name, hostile, [how])
