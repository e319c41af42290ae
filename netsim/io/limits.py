"""The limits of what NetSim reads from a file, declared once.

Sessions, weights, lessons, configs and CSV files are passed between students, teachers and
forums: any of them may have been made to harm. Every reader checks what a file declares (its
size on disk, a zip directory's member sizes, an .npy or safetensors header, a manifest's
numbers) against these limits before it reads or allocates anything, so that a file of a few
hundred bytes cannot claim gigabytes or nest a million levels deep. Each limit is set from the
largest legitimate file and says which that is; a file beyond one is refused with a message
naming the limit.
"""
from ..config import MAX_LAYERS, MAX_WIDTH

# ---- arrays (.npy members of .npz and .netsim archives, safetensors tensors) --------------

MAX_ARRAY_ELEMENTS = 4 * MAX_WIDTH * MAX_WIDTH
"""67,108,864. The largest weight matrix netsim-train builds is MAX_WIDTH x MAX_WIDTH (16.8
million); a CSV data set, which a session embeds, may hold as many cells (MNIST's 70,000
images of 784 pixels hold 55 million), and load_csv refuses a larger one."""

MAX_ARRAY_BYTES = MAX_ARRAY_ELEMENTS * 8
"""512 MiB: MAX_ARRAY_ELEMENTS float64 numbers."""

MAX_NPY_HEADER_BYTES = 10_000
"""numpy's own default for the header of an .npy array; the ones NetSim writes take 128."""

MAX_ARCHIVE_BYTES = 8 << 30
"""8 GiB of members, uncompressed, in one zip archive. The largest session is that of
MAX_LAYERS hidden layers of MAX_WIDTH trained with Adam: 268 million parameters, each saved
three times (weights and two moments, 6.4 GB in float64), plus its data."""

# ---- JSON and text ------------------------------------------------------------------------

MAX_SETTINGS_BYTES = 16 << 20
"""16 MiB for a config, a lesson, a session's manifest or the architecture a weight file
carries. The largest is a manifest of a CSV data set: MAX_CSV_COLUMNS column names twice (raw
and model inputs) of at most MAX_NAME_CHARS characters each, about 2 MB; configs and lessons
take a few kilobytes."""

MAX_JSON_WEIGHTS_BYTES = 64 << 20
"""64 MiB for a JSON weight file: about 3 million weights at the 20 characters JSON takes for
one. JSON is the format a person reads; larger networks travel as .npz or .safetensors."""

MAX_JSON_DEPTH = 32
"""Levels of nested arrays and objects. The deepest JSON NetSim writes (a weight file's
training curves) nests 5; Python's parser would recurse without bound."""

MAX_NUMBER_CHARS = 100
"""Characters in one JSON number. The longest NetSim writes is a session's 128-bit random
generator state (39 digits); a float takes at most 24. Python refuses to convert integers of
more than 4,300 digits and takes quadratic time below that."""

# ---- CSV data -----------------------------------------------------------------------------

MAX_CSV_BYTES = 256 << 20
"""256 MiB. MNIST's 70,000 images as CSV take 130 MB; a file cannot be told from an endless
device until it is read, so the size on disk is checked first."""

MAX_CSV_COLUMNS = MAX_WIDTH
"""4096 columns: a few thousand (784 pixels of MNIST, a panel of genes) are plausible, a
million are not, and no input layer needs to be wider than the widest hidden layer."""

MAX_NAME_CHARS = 256
"""Characters in a column's name or a class label, which files and exports repeat."""

# ---- a session's counters and history -----------------------------------------------------

MAX_STEP = 2 ** 53
"""Steps, epochs, examples seen, the optimizer's step count and a history's stride. The
history keeps steps as float64, which counts whole numbers exactly only up to 2^53; no run
gets near it (a million steps a second for a century is 3e15)."""

MAX_HISTORY_CAPACITY = 1 << 16
"""Points kept per history series: the engine keeps 2048 (netsim.history.DEFAULT_CAPACITY)
and the charts draw a few thousand."""

MAX_WEIGHT_LAYERS = MAX_LAYERS + 1
"""Weight layers of the largest network: MAX_LAYERS hidden layers and the output layer."""


def size_text(n_bytes: int) -> str:
    """ "512 MiB", "16 MiB", "10 KB": a limit or a size in words a person reads."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{n_bytes} bytes"
