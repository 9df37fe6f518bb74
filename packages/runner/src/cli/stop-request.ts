import { readFileSync } from 'node:fs';

/**
 * Stopping a command: SIGINT, SIGTERM, or the end of the process that launched it. `npm run`,
 * `npx` and `tsx` start the command in a child process; a signal to them (or their death, e.g.
 * SIGKILL) may not reach it, and an orphaned command would go on writing. So the command also
 * watches its launchers — the chain of node/npm/npx/tsx/sh processes above it — and stops when
 * one of them ends.
 *
 * A command that can stop cleanly calls {@link gracefulStop} and watches the signal it returns;
 * any other command exits at once (exit code 130 for SIGINT, 143 otherwise). A second request
 * always exits at once.
 */

/** Whether a process name (Linux `comm`, 15 characters at most: `npm run gripgen`, `npm exec tsx …`) is a launcher. */
const isLauncher = (name: string) => ['node', 'tsx', 'sh', 'dash'].includes(name) || /^np[mx]\b/.test(name);
const POLL_MS = 1000;

const controller = new AbortController();
let graceful = false;
let exitCode = 143;
let resumeLine = '';

/** Makes the running command stop through the returned signal instead of exiting at once. */
export function gracefulStop(): AbortSignal {
  graceful = true;
  return controller.signal;
}

/** The exit code of a stop request (130 after SIGINT, 143 after SIGTERM or a launcher's end). */
export function stopExitCode(): number {
  return exitCode;
}

/** The line telling how to resume the running command (`resume with: gripgen …`); empty for one that cannot resume. */
export function resumeHint(): string {
  return resumeLine;
}

/** `argv` as one shell command line (arguments quoted where the shell would split or expand them). */
export function shellCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Installs the signal handlers and the launcher watch for one command run; returns their removal.
 * `resume`, for a command that resumes where it stopped when run again (e.g. from its cache), is
 * its command line: a stop prints it as `resume with: gripgen …`.
 */
export function watchStopRequests(command: string, resume?: readonly string[]): () => void {
  resumeLine = resume ? `resume with: ${shellCommand(['gripgen', ...resume])}` : '';
  const request = (reason: string, code: number) => {
    if (controller.signal.aborted || !graceful) {
      process.stderr.write(`gripgen ${command}: stopped (${reason})${resumeLine ? `; what is finished is kept — ${resumeLine}` : ''}\n`);
      process.exit(code);
    }
    exitCode = code;
    process.stderr.write(`gripgen ${command}: stopping (${reason}); finishing what is complete — send it again to stop at once\n`);
    controller.abort(new Error(reason));
  };
  const onInt = () => request('SIGINT', 130);
  const onTerm = () => request('SIGTERM', 143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const launchers = launcherChain();
  const timer = setInterval(() => {
    const gone = launchers.find((l) => processStart(l.pid) !== l.start);
    if (gone) {
      launchers.length = 0;
      request(`its launcher ${gone.name} (pid ${gone.pid}) ended`, 143);
    }
  }, POLL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

interface Launcher {
  pid: number;
  name: string;
  /** Start time (clock ticks since boot): tells a reused pid apart. */
  start: string;
}

/** The launcher processes above this one (Linux /proc; none elsewhere). */
function launcherChain(): Launcher[] {
  const chain: Launcher[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < 8) {
    const stat = readStat(pid);
    if (!stat || !isLauncher(stat.name)) break;
    chain.push({ pid, name: stat.name, start: stat.start });
    pid = stat.ppid;
  }
  return chain;
}

function processStart(pid: number): string | null {
  return readStat(pid)?.start ?? null;
}

/** Fields of /proc/<pid>/stat: name (comm), parent pid, start time; null when the process is gone. */
function readStat(pid: number): { name: string; ppid: number; start: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // After the name: state (0), ppid (1), …, starttime is field 22 of the line (index 19 here).
  return { name: text.slice(open + 1, close), ppid: Number(fields[1]), start: fields[19] };
}
