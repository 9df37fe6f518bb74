"""Dumps an HDF5 file as JSON with h5py (an independent reader for the robomimic export test).

Usage: python3 read-hdf5.py FILE  ->  {"attrs": {path: {name: value}}, "datasets": {path: {dtype, shape, data}}}
Numbers are written exactly (float32 values widen to float64 losslessly); byte strings are decoded.
"""
import json
import sys

import h5py
import numpy as np


def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.reshape(-1).tolist()] if value.dtype.kind == "S" else value.reshape(-1).tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def main(path):
    out = {"attrs": {}, "datasets": {}}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if len(obj.attrs):
                out["attrs"][name] = {k: plain(v) for k, v in obj.attrs.items()}
            if isinstance(obj, h5py.Dataset):
                out["datasets"][name] = {"dtype": obj.dtype.str, "shape": list(obj.shape), "data": plain(obj[()])}
        visit("/", f)
        f.visititems(visit)
    json.dump(out, sys.stdout)


main(sys.argv[1])
