#!/usr/bin/env python3
"""Read a gripgen dataset (manifest.json + msgpack shards) with nothing but the `msgpack` module.

    python3 examples/python/read_dataset.py DATASET_DIR [--no-verify] [--json]

prints a summary (task, episodes, success rate, mean length, obs/action shapes, the datagen
objects and signals). Nothing here is specific to a task: the observation and action names come
from the manifest (`obsNames`, `actionNames`), the objects and signals from the episodes
(`datagen.objectPoses`, `datagen.signals`), so a dataset of any task reads the same way. As a
module:

    from read_dataset import iter_episodes, load_manifest
    manifest = load_manifest("out/dataset")
    for episode in iter_episodes("out/dataset"):          # attempt order, one record at a time
        obs = episode["obs"]                              # T x len(manifest["obsNames"]) float32

Tensors (`obs`, `actions`, `rewards`, `dones`, `srcDemoLabels`, the `datagen` arrays) come back as
numpy arrays when numpy is installed, else as `Tensor` objects (dtype, shape, flat `array.array`).
Needs Debian's python3-msgpack (or `pip install msgpack`); numpy is optional. The format is
documented in packages/trajgen/README.md. The reader is as strict as the TypeScript one: the
manifest rules and the record checks (dataset_rules.py, next to this file) are the same, with the
same messages, and a damaged dataset raises a DatasetError naming the file and the mismatch.
"""

import argparse
import hashlib
import json
import os
import sys
from array import array

try:
    import msgpack
except ImportError:  # pragma: no cover - message for people running it by hand
    sys.exit("read_dataset.py needs the msgpack module: apt-get install python3-msgpack (or pip install msgpack)")

try:
    import numpy
except ImportError:
    numpy = None

try:
    from dataset_rules import DatasetError, check_record, validate_manifest
except ImportError:  # imported as part of a package
    from .dataset_rules import DatasetError, check_record, validate_manifest

TENSOR_KEYS = {"dtype", "shape", "data"}
# array.array type codes of the tensor dtypes (int32: whichever C type is 4 bytes here).
TYPECODES = {"float32": "f", "uint8": "B", "int32": "i" if array("i").itemsize == 4 else "l"}
NUMPY_DTYPES = {"float32": "<f4", "uint8": "u1", "int32": "<i4"}


class Tensor:
    """A tensor decoded without numpy: `values` is a flat array.array, row-major."""

    __slots__ = ("dtype", "shape", "values")

    def __init__(self, dtype, shape, values):
        self.dtype = dtype
        self.shape = tuple(shape)
        self.values = values

    def __len__(self):
        return self.shape[0]

    def row(self, t):
        """Row t: a number for a [T] tensor, a list for a [T, k] tensor."""
        if len(self.shape) == 1:
            return self.values[t]
        width = self.shape[1]
        return self.values[t * width:(t + 1) * width].tolist()

    def tolist(self):
        return [self.row(t) for t in range(self.shape[0])]

    def __repr__(self):
        return "Tensor(%s, shape=%s)" % (self.dtype, list(self.shape))


def reject_constant(name):
    """json.load hook: NaN, Infinity and -Infinity are not JSON (JSON.parse rejects them too)."""
    raise ValueError("%s is not JSON" % name)


def load_manifest(path):
    """The dataset's manifest.json as a dict, after checking it with the TS reader's rules
    (dataset_rules.validate_manifest); raises a DatasetError naming the file and the mismatch."""
    file = os.path.join(path, "manifest.json")
    try:
        with open(file, "r", encoding="utf-8") as handle:
            manifest = json.load(handle, parse_constant=reject_constant)  # no NaN / Infinity, as JSON.parse
    except FileNotFoundError:
        raise DatasetError("%s not found: not a gripgen dataset directory (or nothing was written to it yet)" % file) from None
    except ValueError as error:
        raise DatasetError("%s is not valid JSON: %s" % (file, error)) from None
    return validate_manifest(manifest, file)


def decode_tensor(value, use_numpy):
    """A record's {dtype, shape, data} map as a numpy array or a Tensor."""
    dtype, shape, data = value["dtype"], value["shape"], value["data"]
    if dtype not in TYPECODES:
        raise ValueError("unknown tensor dtype %r" % dtype)
    if use_numpy:
        return numpy.frombuffer(data, dtype=NUMPY_DTYPES[dtype]).reshape(shape).copy()
    values = array(TYPECODES[dtype])
    values.frombytes(data)
    if sys.byteorder == "big" and values.itemsize > 1:
        values.byteswap()
    return Tensor(dtype, shape, values)


def decode_tensors(value, use_numpy):
    """`value` with every tensor map inside it decoded."""
    if isinstance(value, dict):
        if set(value) == TENSOR_KEYS and isinstance(value["data"], bytes):
            return decode_tensor(value, use_numpy)
        return {key: decode_tensors(item, use_numpy) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_tensors(item, use_numpy) for item in value]
    return value


def iter_episodes(path, verify=True, use_numpy=None, limit=None):
    """Yields the dataset's episodes (dicts with the Episode fields) in attempt order.

    Shards are read one at a time; `verify` checks each shard's size and sha256 against the
    manifest first. Every record is checked against the manifest (its attempt, the obs and
    action widths) before it is yielded. `use_numpy` (default: if numpy is installed) picks the
    tensor type.
    `limit` stops after that many episodes (the first N: nested subsets).
    """
    if use_numpy is None:
        use_numpy = numpy is not None
    if use_numpy and numpy is None:
        raise RuntimeError("use_numpy=True but numpy is not installed")
    manifest = load_manifest(path)
    obs_size, action_size = len(manifest["obsNames"]), len(manifest["actionNames"])
    produced = 0
    for entry in manifest["shards"]:
        if limit is not None and produced >= limit:
            return
        file = os.path.join(path, entry["file"])
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise DatasetError("%s: shard file is missing (the manifest lists it)" % file) from None
        if verify:
            check_shard(file, entry, data)
        unpacker = msgpack.Unpacker(raw=False, max_buffer_size=max(len(data), 1))
        unpacker.feed(data)
        offset = 0
        for index, attempt in enumerate(entry["attempts"]):
            if limit is not None and produced >= limit:
                return
            try:
                record = unpacker.unpack()
            except msgpack.OutOfData:
                raise DatasetError("%s: record %d at byte offset %d could not be decoded: truncated"
                                   % (file, index, offset)) from None
            except Exception as error:  # msgpack.FormatError, StackError, ValueError, ...
                reason = str(error) or "not valid msgpack (%s)" % type(error).__name__
                raise DatasetError("%s: record %d at byte offset %d could not be decoded: %s"
                                   % (file, index, offset, reason)) from None
            try:
                held = check_record(record, obs_size, action_size)
            except ValueError as error:
                raise DatasetError("%s: record %d at byte offset %d could not be decoded: %s"
                                   % (file, index, offset, error)) from None
            if held != attempt:
                raise DatasetError("%s: record %d at byte offset %d could not be decoded: holds attempt %d, the manifest lists attempt %d"
                                   % (file, index, offset, held, attempt))
            offset = unpacker.tell()
            produced += 1
            yield decode_tensors(record, use_numpy)
        if offset != len(data):
            raise DatasetError("%s: record %d at byte offset %d could not be decoded: %d bytes follow the %d records the manifest lists"
                               % (file, entry["episodes"], offset, len(data) - offset, entry["episodes"]))


def check_shard(file, entry, data):
    """Raises a DatasetError if `data` (the bytes of `file`) is not the size and sha256 `entry` records."""
    actual = hashlib.sha256(data).hexdigest()
    if len(data) != entry["bytes"]:
        detail = "file has %d bytes, manifest says %d%s" % (len(data), entry["bytes"], ": truncated" if len(data) < entry["bytes"] else "")
    elif actual != entry["sha256"]:
        detail = "contents differ"
    else:
        return
    raise DatasetError("%s: checksum mismatch (%s): manifest sha256 %s, file sha256 %s" % (file, detail, entry["sha256"], actual))


def summarize(path, verify=True):
    """Summary of a dataset as a dict (what `main` prints)."""
    manifest = load_manifest(path)
    counts = manifest["counts"]
    episodes = kept_successes = total_length = 0
    first = None
    for episode in iter_episodes(path, verify=verify, use_numpy=False):
        episodes += 1
        kept_successes += 1 if episode["success"] else 0
        total_length += episode["length"]
        if first is None:
            first = episode
    return {
        "path": path,
        "taskId": manifest["taskId"],
        "complete": manifest["complete"],
        "shards": len(manifest["shards"]),
        "episodes": episodes,
        "attempts": counts["attempts"],
        "successes": counts["successes"],
        "successRate": counts["successes"] / counts["attempts"] if counts["attempts"] else None,
        "keptSuccesses": kept_successes,
        "meanLength": total_length / episodes if episodes else None,
        "obsNames": manifest["obsNames"],
        "actionNames": manifest["actionNames"],
        "obsShape": ["T", len(manifest["obsNames"])],
        "actionShape": ["T", len(manifest["actionNames"])],
        "objects": list(first["datagen"]["objectPoses"]) if first else None,
        "signals": list(first["datagen"]["signals"]) if first else None,
        "firstAttempt": first["attempt"] if first else None,
        "firstObs": first["obs"].row(0) if first else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Summarize a gripgen dataset (manifest.json + msgpack shards).")
    parser.add_argument("dataset", help="dataset directory (holds manifest.json)")
    parser.add_argument("--no-verify", action="store_true", help="skip the sha256 check of the shards")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = parser.parse_args(argv)
    try:
        summary = summarize(args.dataset, verify=not args.no_verify)
    except DatasetError as error:
        print("error: %s" % error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary))
        return 0
    rate = "n/a" if summary["successRate"] is None else "%.1f%%" % (100 * summary["successRate"])
    mean = "n/a" if summary["meanLength"] is None else "%.1f" % summary["meanLength"]
    print("dataset   %s (%s, %s, %d shards)" % (summary["path"], summary["taskId"],
                                                "complete" if summary["complete"] else "incomplete", summary["shards"]))
    print("episodes  %d kept of %d attempts; %d kept episodes succeeded"
          % (summary["episodes"], summary["attempts"], summary["keptSuccesses"]))
    print("success   %d of %d attempts (%s)" % (summary["successes"], summary["attempts"], rate))
    print("length    mean %s steps" % mean)
    print("obs       float32 [T, %d]  %s" % (summary["obsShape"][1], ", ".join(summary["obsNames"])))
    print("actions   float32 [T, %d]  %s" % (summary["actionShape"][1], ", ".join(summary["actionNames"])))
    if summary["objects"] is not None:
        print("objects   %s (poses [T, 7] in datagen.objectPoses)" % ", ".join(summary["objects"]))
        print("signals   %s" % ", ".join(summary["signals"]))
    print("tensors   %s" % ("numpy" if numpy is not None else "array.array (numpy not installed)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
