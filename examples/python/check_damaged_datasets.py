#!/usr/bin/env python3
"""Checks that read_dataset.py rejects every damaged-dataset test vector the way it must.

    python3 examples/python/check_damaged_datasets.py VECTORS_DIR [--json]

VECTORS_DIR is what packages/trajgen/test/damaged-datasets/write-damaged-datasets.ts writes: a
sound dataset, one damaged copy per rule, and vectors.json, which names for each copy the file a
reader's error must name and a fragment its message must hold (`message` when the shard checksums
are verified, `unverified` when they are not; an `unverified` of null means only the checksum
catches the damage, so the copy must then read). The TypeScript reader is held to the same
vectors (packages/trajgen/test/damaged-datasets.test.ts). The sound dataset must read without
error.
Prints one line per vector (or one JSON object); exits 0 if every vector holds, 1 if not.
"""

import argparse
import json
import os
import sys

try:
    from read_dataset import DatasetError, summarize
except ImportError:  # imported as part of a package
    from .read_dataset import DatasetError, summarize

def check_vector(root, vector, verify):
    """The result of reading one damaged copy: {name, verify, ok, error}. Unverified, a vector
    whose `unverified` fragment is null must read without error (only the checksum catches it)."""
    file = os.path.join(root, vector["file"])
    expected = vector["message"] if verify else vector["unverified"]
    try:
        summarize(os.path.join(root, vector["dir"]), verify=verify)
    except DatasetError as error:
        message = str(error)
        ok = expected is not None and file in message and expected in message
        return {"name": vector["name"], "verify": verify, "ok": ok, "error": message}
    return {"name": vector["name"], "verify": verify, "ok": expected is None, "error": None}


def check_all(root):
    """Reads the sound dataset and every vector; returns {sound, results, ok}."""
    with open(os.path.join(root, "vectors.json"), "r", encoding="utf-8") as handle:
        index = json.load(handle)
    try:
        summary = summarize(os.path.join(root, index["sound"]))
        sound = {"ok": True, "episodes": summary["episodes"], "error": None}
    except DatasetError as error:
        sound = {"ok": False, "episodes": 0, "error": str(error)}
    results = []
    for vector in index["vectors"]:
        results.append(check_vector(root, vector, verify=True))
        results.append(check_vector(root, vector, verify=False))
    return {"sound": sound, "results": results, "ok": sound["ok"] and all(r["ok"] for r in results)}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check read_dataset.py against the damaged-dataset test vectors.")
    parser.add_argument("vectors", help="folder written by write-damaged-datasets.ts (holds vectors.json)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    args = parser.parse_args(argv)
    report = check_all(os.path.abspath(args.vectors))
    if args.json:
        print(json.dumps(report))
        return 0 if report["ok"] else 1
    sound = report["sound"]
    print("%s sound dataset%s" % ("ok  " if sound["ok"] else "FAIL", ": " + sound["error"] if sound["error"] else ""))
    for result in report["results"]:
        how = "verified" if result["verify"] else "unverified"
        what = result["error"] if result["error"] is not None else "accepted"
        print("%s %s (%s): %s" % ("ok  " if result["ok"] else "FAIL", result["name"], how, what))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
