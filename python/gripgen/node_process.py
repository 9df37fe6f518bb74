"""The Node process behind a vector env: finds the repository and Node, starts
packages/runner/src/python-env/serve-vector-env.ts on two pipes, and exchanges frames with it."""

import json
import os
import fcntl
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import protocol

SERVER = Path("packages") / "runner" / "src" / "python-env" / "serve-vector-env.ts"


class GripgenError(RuntimeError):
    """The simulator refused a request (the message says why) or its process ended."""


def repo_root():
    """The gripgen repository the Node simulator runs from: $GRIPGEN_ROOT, else the checkout this
    package lives in (``pip install -e python`` keeps it there)."""
    given = os.environ.get("GRIPGEN_ROOT")
    root = Path(given) if given else Path(__file__).resolve().parents[2]
    if not (root / SERVER).is_file():
        where = "GRIPGEN_ROOT=%s" % given if given else "the checkout around %s" % Path(__file__).resolve().parent
        raise GripgenError(
            "gripgen: %s has no %s; install the package with `pip install --no-build-isolation -e python` "
            "from a gripgen checkout, or set GRIPGEN_ROOT to one" % (where, SERVER.as_posix())
        )
    if not (root / "node_modules" / "tsx").is_dir():
        raise GripgenError("gripgen: %s has no node_modules/tsx; run `npm ci` (or scripts/setup.sh) there first" % root)
    return root


def node_binary():
    """Node.js (>= 20): $GRIPGEN_NODE, else `node` on PATH."""
    node = os.environ.get("GRIPGEN_NODE") or shutil.which("node")
    if not node:
        raise GripgenError("gripgen: Node.js >= 20 not found on PATH; install it or set GRIPGEN_NODE to its path")
    return node


# Linux's F_SETPIPE_SZ (1031): a pipe that holds a whole reply of 1024 worlds delivers it in one read.
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PIPE_BYTES = 1 << 20


def _widen_pipe(fd):
    """Raises the pipe's capacity to 1 MiB where the system allows (Linux); else leaves it."""
    try:
        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_BYTES)
    except OSError:
        try:
            fcntl.fcntl(fd, _F_SETPIPE_SZ, 1 << 18)
        except OSError:
            pass


class NodeServer:
    """One serve-vector-env.ts process. ``request`` sends a frame and returns the reply's payload;
    the process ends on ``close`` and, by itself, when this process ends (its request pipe closes)."""

    def __init__(self, config):
        root = repo_root()
        request_read, self._request_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        for fd in (self._request_write, reply_write):
            _widen_pipe(fd)
        self._log = tempfile.TemporaryFile(prefix="gripgen-node-")
        command = [node_binary(), "--conditions=source", "--import", "tsx", str(root / SERVER), json.dumps(config),
                   str(request_read), str(reply_write)]
        try:
            # A session of its own: Ctrl-C in a terminal interrupts Python, not the simulator under it.
            self._process = subprocess.Popen(command, cwd=str(root), stdin=subprocess.DEVNULL, stdout=self._log,
                                             stderr=self._log, pass_fds=(request_read, reply_write), start_new_session=True)
        finally:
            os.close(request_read)
            os.close(reply_write)
        self._requests = os.fdopen(self._request_write, "wb", buffering=0)
        self._replies = os.fdopen(self._reply_read, "rb", buffering=0)
        self.closed = False
        kind, payload = self._read_frame()
        if kind == protocol.ERROR:
            message = bytes(payload).decode("utf-8")
            self.close()
            raise GripgenError(message)
        if kind != protocol.READY:
            self.close()
            raise GripgenError("gripgen: the simulator process sent frame kind %d before READY" % kind)
        self.spec = json.loads(bytes(payload).decode("utf-8"))

    @property
    def pid(self):
        """The Node process id."""
        return self._process.pid

    def request(self, kind, payload=b""):
        """Sends one frame and returns the reply payload (a fresh bytearray) of a RESULT frame;
        raises GripgenError with the simulator's message on an ERROR frame."""
        if self.closed:
            raise GripgenError("gripgen: this vector env was closed")
        self._write_frame(kind, payload)
        reply_kind, reply = self._read_frame()
        if reply_kind == protocol.ERROR:
            raise GripgenError(bytes(reply).decode("utf-8"))
        if reply_kind != protocol.RESULT:
            raise GripgenError("gripgen: unexpected reply kind %d" % reply_kind)
        return reply

    def close(self, timeout=10.0):
        """Asks the process to end, waits up to ``timeout`` s, then kills it. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        try:
            if self._process.poll() is None:
                try:
                    self._write(protocol.HEADER.pack(protocol.CLOSE, 0))
                except OSError:
                    pass
                self._requests.close()
                try:
                    self._process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
        finally:
            for stream in (self._requests, self._replies, self._log):
                try:
                    stream.close()
                except OSError:
                    pass

    def _write_frame(self, kind, payload):
        # One system call for header and payload: the server wakes once per request.
        header = protocol.HEADER.pack(kind, len(payload))
        try:
            written = os.writev(self._request_write, [header, payload])
        except (BrokenPipeError, ValueError):
            raise self._died()
        total = len(header) + len(payload)
        if written < total:
            rest = (header + bytes(payload))[written:]
            self._write(rest)

    def _write(self, data):
        view = memoryview(data)
        while len(view):
            try:
                written = self._requests.write(view)
            except (BrokenPipeError, ValueError):
                raise self._died()
            view = view[written:]

    def _read_exact(self, size):
        buffer = bytearray(size)
        view = memoryview(buffer)
        filled = 0
        while filled < size:
            got = self._replies.readinto(view[filled:])
            if not got:
                raise self._died()
            filled += got
        return buffer

    def _read_frame(self):
        kind, size = protocol.HEADER.unpack(self._read_exact(protocol.HEADER.size))
        return kind, self._read_exact(size)

    def _died(self):
        code = self._process.wait()
        self._log.seek(0)
        tail = self._log.read()[-4000:].decode("utf-8", "replace").strip()
        self.closed = True
        return GripgenError("gripgen: the simulator process ended (exit code %s)%s" % (code, ":\n" + tail if tail else ""))
