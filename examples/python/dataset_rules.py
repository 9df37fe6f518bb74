"""The rules a gripgen dataset must follow, as the TypeScript reader applies them.

`validate_manifest` checks a parsed manifest.json (fields, shard entries and paths, counts, the
attempt bookkeeping); `check_record` checks one decoded shard record against the manifest's
layout. Both raise with the same wording as packages/trajgen/src/dataset (manifest.ts,
episode-codec.ts), so the readers of both languages reject the same datasets with the same
messages; the shared damaged-dataset vectors (packages/trajgen/test/damaged-datasets) hold them
to it.
"""

import json

SCHEMA_VERSION = 1
KIND = "gripgen-dataset"
# Largest integer a JavaScript number holds exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2 ** 53 - 1
ITEM_SIZES = {"float32": 4, "uint8": 1, "int32": 4}
POSE_SIZE = 7
CERTIFYING_BACKENDS = ("rapier", "webgpu", "mujoco")
SHARD_ENTRY = "{file, episodes, bytes, sha256, firstAttempt, lastAttempt, attempts}"
COUNT_KEYS = ("attempts", "successes", "episodes", "failuresKept")
_MISSING = object()


class DatasetError(Exception):
    """A dataset file is missing, corrupt, or not what the manifest says."""


def to_json(value):
    """`value` as JSON.stringify writes it (`undefined` for a missing field)."""
    if value is _MISSING:
        return "undefined"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def is_integer(value):
    """True for an integer a JavaScript number holds exactly (Number.isSafeInteger)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not value.is_integer():
        return False
    return abs(value) <= MAX_SAFE_INTEGER


def is_count(value):
    return is_integer(value) and value >= 0


def is_inside(path):
    """True if the shard path `path` stays inside the dataset: relative, no `..` component."""
    return not path.startswith("/") and ".." not in path.replace("\\", "/").split("/")


def validate_manifest(value, file):
    """Checks that `value` is a schema-version-1 manifest; raises a DatasetError naming `file`."""
    def fail(message):
        raise DatasetError("%s: %s" % (file, message))

    if not isinstance(value, dict):
        fail("expected a JSON object")
    if value.get("kind", _MISSING) != KIND:
        fail('kind is %s, expected "%s"' % (to_json(value.get("kind", _MISSING)), KIND))
    if value.get("schemaVersion", _MISSING) != SCHEMA_VERSION or not is_integer(value.get("schemaVersion")):
        fail("schemaVersion %s is not supported (this reader reads schemaVersion %d)"
             % (to_json(value.get("schemaVersion", _MISSING)), SCHEMA_VERSION))

    def field(name, check, expected):
        item = value.get(name, _MISSING)
        if item is _MISSING or not check(item):
            fail('field "%s" must be %s, got %s' % (name, expected, to_json(item)))

    def is_strings(item):
        return isinstance(item, list) and all(isinstance(s, str) for s in item)

    def is_slice(item):
        return (isinstance(item, dict) and is_count(item.get("index")) and is_integer(item.get("count"))
                and item["count"] > item["index"])

    for name in ("createdBy", "createdAt", "updatedAt"):
        field(name, lambda item: isinstance(item, str), "a string")
    field("complete", lambda item: isinstance(item, bool), "a boolean")
    field("taskId", lambda item: isinstance(item, str), "a string")
    field("seed", is_integer, "an integer")
    field("shard", is_slice, "{index, count} with 0 <= index < count")
    field("config", lambda item: isinstance(item, dict), "an object")
    field("configHash", lambda item: isinstance(item, str), "a string")
    field("obsNames", is_strings, "an array of strings")
    field("actionNames", is_strings, "an array of strings")
    field("sourceDemoIds", lambda item: isinstance(item, list) and all(
        isinstance(i, str) or (isinstance(i, (int, float)) and not isinstance(i, bool)) for i in item), "an array of ids")
    field("nextAttempt", is_count, "an integer >= 0")
    field("counts", lambda item: isinstance(item, dict) and all(is_count(item.get(k)) for k in COUNT_KEYS),
          "{attempts, successes, episodes, failuresKept}")
    field("stats", lambda item: item is None or isinstance(item, dict), "null or an object")
    field("shards", lambda item: isinstance(item, list), "an array")

    episodes = 0
    for i, entry in enumerate(value["shards"]):
        if not is_shard_entry(entry):
            fail("shards[%d] must be %s with consistent values" % (i, SHARD_ENTRY))
        if not is_inside(entry["file"]):
            fail("shards[%d].file must be a path inside the dataset, got %s" % (i, to_json(entry["file"])))
        episodes += entry["episodes"]
    counts = value["counts"]
    if counts["episodes"] != episodes:
        fail("counts.episodes is %d but the shards hold %d episodes" % (counts["episodes"], episodes))
    check_attempts(value, fail)
    return value


def is_shard_entry(entry):
    """True if `entry` is a well-formed shard entry whose fields agree with each other."""
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return False
    if not all(is_count(entry.get(k)) for k in ("episodes", "bytes", "firstAttempt", "lastAttempt")):
        return False
    sha = entry.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return False
    attempts = entry.get("attempts")
    if not isinstance(attempts, list) or len(attempts) != entry["episodes"] or not all(is_count(a) for a in attempts):
        return False
    # An empty shard has no first or last attempt to agree with (as in the TS check, it fails).
    return bool(attempts) and attempts[0] == entry["firstAttempt"] and attempts[-1] == entry["lastAttempt"]


def check_attempts(manifest, fail):
    """The attempt bookkeeping agrees with itself, or a resumed run would redo or skip attempts.

    Kept attempt ids strictly increase across the shards, each lies in the dataset's slice of the
    seed space (index + count*k) and below `nextAttempt`, and `counts.attempts` is the number of
    the slice's ids below `nextAttempt`.
    """
    index, count = manifest["shard"]["index"], manifest["shard"]["count"]
    next_attempt, counts = manifest["nextAttempt"], manifest["counts"]
    previous = -1
    for i, entry in enumerate(manifest["shards"]):
        for attempt in entry["attempts"]:
            if attempt <= previous:
                fail("shards[%d] lists attempt %d after attempt %d: attempt ids must strictly increase" % (i, attempt, previous))
            if attempt % count != index:
                fail("shards[%d] lists attempt %d, which is not in seed slice %d/%d" % (i, attempt, index, count))
            previous = attempt
    if previous >= next_attempt:
        fail("nextAttempt is %d but the shards already hold attempt %d: nextAttempt must exceed every kept attempt"
             % (next_attempt, previous))
    expected = max(0, -(-(next_attempt - index) // count))
    if counts["attempts"] != expected:
        fail("counts.attempts is %d but nextAttempt %d in seed slice %d/%d means %d attempts were made"
             % (counts["attempts"], next_attempt, index, count, expected))
    for smaller, larger in (("successes", "attempts"), ("episodes", "attempts"), ("failuresKept", "episodes")):
        if counts[smaller] > counts[larger]:
            fail("counts.%s (%d) exceeds counts.%s (%d)" % (smaller, counts[smaller], larger, counts[larger]))


def describe(value):
    if isinstance(value, bytes):
        return "%d bytes of bin" % len(value)
    text = to_json(value)
    return text if len(text) <= 40 else text[:40] + "\u2026"


def as_map(value, path):
    if not isinstance(value, dict):
        raise ValueError("%s: expected a map" % path)
    return value


def as_integer(value, path):
    if not is_integer(value):
        raise ValueError("%s: expected an integer, got %s" % (path, describe(value)))
    return int(value)


def as_integers(value, path):
    if not isinstance(value, list):
        raise ValueError("%s: expected an array, got %s" % (path, describe(value)))
    return [as_integer(item, "%s[%d]" % (path, i)) for i, item in enumerate(value)]


def as_boolean(value, path):
    if not isinstance(value, bool):
        raise ValueError("%s: expected a boolean, got %s" % (path, describe(value)))
    return value


def check_tensor(value, path, dtype, steps):
    """Checks a record's {dtype, shape, data} map; returns its number of values."""
    encoded = as_map(value, path)
    if encoded.get("dtype", _MISSING) != dtype:
        raise ValueError("%s: expected dtype %s, got %s" % (path, dtype, to_json(encoded.get("dtype", _MISSING))))
    shape = as_integers(encoded.get("shape", _MISSING), path + ".shape")
    if not 1 <= len(shape) <= 2 or shape[0] != steps or any(size < 0 for size in shape):
        raise ValueError("%s: shape %s does not match length %d" % (path, to_json(shape), steps))
    data = encoded.get("data")
    if not isinstance(data, bytes):
        raise ValueError("%s.data: expected msgpack bin" % path)
    count = 1
    for size in shape:
        count *= size
    if len(data) != count * ITEM_SIZES[dtype]:
        raise ValueError("%s.data: %d bytes, shape %s of %s needs %d"
                         % (path, len(data), to_json(shape), dtype, count * ITEM_SIZES[dtype]))
    return count


def check_record(record, obs_size, action_size):
    """Checks one decoded (raw) record: types, tensors, and every per-step array holding `length`
    rows of the manifest's widths. Raises ValueError with the TS decoder's wording."""
    root = as_map(record, "record")
    datagen = as_map(root.get("datagen"), "datagen")
    steps = as_integer(root.get("length", _MISSING), "length")
    world = as_map(root.get("world"), "world")
    attempt = as_integer(root.get("attempt", _MISSING), "attempt")
    world_values = {key: as_integer(world.get(key, _MISSING), "world." + key) for key in ("seed", "episode", "worldId")}
    counts = {}  # field -> (values, width)

    def tensor(value, path, dtype, width):
        counts[path] = (check_tensor(value, path, dtype, steps), width)

    def named(value, path, dtype, width):
        for name, item in as_map(value, path).items():
            tensor(item, "%s.%s" % (path, name), dtype, width)

    tensor(root.get("obs"), "obs", "float32", obs_size)
    tensor(root.get("actions"), "actions", "float32", action_size)
    tensor(root.get("rewards"), "rewards", "float32", 1)
    tensor(root.get("dones"), "dones", "uint8", 1)
    as_boolean(root.get("success", _MISSING), "success")
    success_step = as_integer(root.get("successStep", _MISSING), "successStep")
    demo_indices = as_integers(root.get("srcDemoIndices", _MISSING), "srcDemoIndices")
    tensor(root.get("srcDemoLabels"), "srcDemoLabels", "int32", 1)
    subtask_starts = as_integers(root.get("subtaskStarts", _MISSING), "subtaskStarts")
    tensor(datagen.get("eefPose"), "datagen.eefPose", "float32", POSE_SIZE)
    tensor(datagen.get("targetPose"), "datagen.targetPose", "float32", POSE_SIZE)
    named(datagen.get("objectPoses"), "datagen.objectPoses", "float32", POSE_SIZE)
    tensor(datagen.get("gripperAction"), "datagen.gripperAction", "float32", 1)
    named(datagen.get("signals"), "datagen.signals", "uint8", 1)
    certification = root.get("certification")
    if certification is not None:
        as_map(certification, "certification")
        if certification.get("backend") not in CERTIFYING_BACKENDS:
            raise ValueError("certification.backend: expected one of %s, got %s"
                             % (", ".join(CERTIFYING_BACKENDS), to_json(certification.get("backend", _MISSING))))
        as_boolean(certification.get("success", _MISSING), "certification.success")

    def fail(field, message):
        raise ValueError("episode (attempt %d): %s %s" % (attempt, field, message))

    def at_least(value, field, minimum):
        if value < minimum:
            fail(field, "must be an integer >= %d, got %d" % (minimum, value))

    at_least(attempt, "attempt", 0)
    at_least(world_values["episode"], "world.episode", 0)
    at_least(world_values["worldId"], "world.worldId", 0)
    at_least(steps, "length", 1)
    for path, (count, width) in counts.items():
        if count != steps * width:
            fail(path, "has %d values, expected length \u00d7 %d = %d" % (count, width, steps * width))
    at_least(success_step, "successStep", -1)
    if success_step >= steps:
        fail("successStep", "must be -1 or a step < length (%d), got %d" % (steps, success_step))
    for i, index in enumerate(demo_indices):
        at_least(index, "srcDemoIndices[%d]" % i, -1)
    for i, start in enumerate(subtask_starts):
        at_least(start, "subtaskStarts[%d]" % i, 0)
    return attempt
