/**
 * The source trees a before/after benchmark measures (the gripper and generation-host benches),
 * each a directory that a child process runs in (`cwd`) with its own `node_modules`, so that two
 * trees' modules never mix:
 *
 * - **current**: this checkout as it is (working tree, uncommitted edits included);
 * - **baseline**: a git worktree of the baseline commit (detached), reused while its HEAD
 *   is that commit;
 * - **simd**: a scratch copy of this checkout's `packages/sim-core` and `packages/shaders`
 *   whose `@dimforge/rapier3d-compat` is Rapier's SIMD build (`@dimforge/rapier3d-simd-compat`,
 *   installed into the work directory, not into the project).
 *
 * A tree's `node_modules` is a directory of symbolic links: the main checkout's packages,
 * except the `@gripgen/*` workspace packages (the tree's own `packages/*`) and the overridden
 * ones. Node follows the links to their real paths, so a workspace package must be linked to
 * the tree's copy, never to the main checkout's (whose imports would resolve there).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this checkout. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A benchmark's child process: the bench files it needs, relative to the repository root (copied
 * from this checkout into other trees, so every tree runs the same measuring code), and its entry.
 */
export interface ChildFiles {
  files: readonly string[];
  entry: string;
}

/** Where the child files go inside a baseline or scratch tree. */
const CHILD_DIR = '.gripper-bench';
/** Marks a `node_modules` made by `linkNodeModules` (safe to replace). */
const LINKS_MARKER = '.gripper-bench-links'; // the name it had when only the gripper bench made them

/** The SIMD build of Rapier tried as a third variant. */
export const SIMD_PACKAGE = '@dimforge/rapier3d-simd-compat';
export const SIMD_VERSION = '0.20.0';

/** A tree a child process runs in. */
export interface SourceTree {
  /** Directory the child runs in (its `cwd`). */
  root: string;
  /** The child entry (`child.ts`) inside the tree. */
  childEntry: string;
  /** The `@dimforge/rapier3d-compat` the tree resolves: the real package's name and version. */
  rapier: { name: string; version: string };
}

function git(args: string[], cwd = REPO_ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The package name and version that `<root>/node_modules/<name>` resolves to. */
function packageAt(root: string, name: string): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return { name: 'missing', version: '' };
  }
}

/**
 * Makes `<root>/node_modules` a directory of links to `mainRoot/node_modules`'s entries, with
 * `@gripgen/*` linked to `<root>`'s own packages (left out where `<root>` lacks them) and each
 * package in `overrides` (name → directory) linked to its directory instead.
 */
export function linkNodeModules(root: string, mainRoot: string, overrides: ReadonlyMap<string, string> = new Map()): void {
  const target = join(root, 'node_modules');
  if (existsSync(target) || isLink(target)) {
    if (!isLink(target) && !existsSync(join(target, LINKS_MARKER))) {
      throw new Error(`${target} exists and was not made by a gripgen benchmark; remove it or use another --work-dir`);
    }
    rmSync(target, { recursive: true, force: true });
  }
  mkdirSync(target);
  writeFileSync(join(target, LINKS_MARKER), 'links made by bench/src/trees/source-trees.ts\n');
  const mainModules = join(mainRoot, 'node_modules');
  const link = (from: string, to: string) => symlinkSync(to, from, 'dir');
  for (const entry of readdirSync(mainModules)) {
    const source = join(mainModules, entry);
    const scoped = entry.startsWith('@') && lstatSync(source).isDirectory() && !isLink(source);
    const overridden = [...overrides.keys()].some((name) => name.startsWith(`${entry}/`));
    if (!scoped || (entry !== '@gripgen' && !overridden)) {
      if (!overrides.has(entry)) link(join(target, entry), source);
      continue;
    }
    mkdirSync(join(target, entry));
    for (const name of readdirSync(source)) {
      const full = `${entry}/${name}`;
      const from = join(target, entry, name);
      if (overrides.has(full)) link(from, overrides.get(full)!);
      else if (entry === '@gripgen') {
        // The workspace link (e.g. ../../packages/sim-core), taken inside `root`.
        const mainTarget = resolve(join(mainModules, entry), readlinkSync(join(source, name)));
        const own = join(root, relative(mainRoot, mainTarget));
        if (existsSync(own)) link(from, own);
      } else link(from, join(source, name));
    }
  }
  for (const [name, dir] of overrides) {
    if (!existsSync(join(target, name)) && !isLink(join(target, name))) {
      mkdirSync(dirname(join(target, name)), { recursive: true });
      link(join(target, name), dir);
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Copies this checkout's child files into `<root>/.gripper-bench/` and returns the child entry there. */
function installChildFiles(root: string, child: ChildFiles): string {
  const dir = join(root, CHILD_DIR);
  rmSync(dir, { recursive: true, force: true });
  for (const file of child.files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(dir, file));
  }
  return join(dir, child.entry);
}

/** This checkout, as it is. */
export function currentTree(child: ChildFiles): SourceTree & { head: string; dirty: string[] } {
  // Not `git()`: its trim() would eat the first line's leading status column.
  const status = execFileSync('git', ['status', '--porcelain', '--', 'packages/sim-core', 'packages/shaders'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const dirty = status.split('\n').filter((l) => l.length > 3).map((l) => l.slice(3));
  return {
    root: REPO_ROOT,
    childEntry: join(REPO_ROOT, child.entry),
    rapier: packageAt(REPO_ROOT, '@dimforge/rapier3d-compat'),
    head: git(['rev-parse', 'HEAD']),
    dirty,
  };
}

/**
 * A detached git worktree of `ref` under `workDir` (reused when it is already at that commit),
 * with linked `node_modules` and the child files.
 */
export function baselineTree(ref: string, workDir: string, child: ChildFiles): SourceTree & { commit: string; subject: string } {
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  const root = join(workDir, `baseline-${commit.slice(0, 12)}`);
  let reuse = false;
  if (existsSync(root)) {
    try {
      reuse = git(['rev-parse', 'HEAD'], root) === commit && git(['rev-parse', '--show-toplevel'], root) === root;
    } catch {
      reuse = false;
    }
    if (!reuse) {
      try {
        git(['worktree', 'remove', '--force', root]);
      } catch {
        rmSync(root, { recursive: true, force: true });
      }
    }
  }
  if (!reuse) {
    git(['worktree', 'prune']);
    mkdirSync(workDir, { recursive: true });
    git(['worktree', 'add', '--detach', root, commit]);
  }
  linkNodeModules(root, REPO_ROOT);
  return {
    root,
    childEntry: installChildFiles(root, child),
    rapier: packageAt(root, '@dimforge/rapier3d-compat'),
    commit,
    subject: git(['log', '-1', '--format=%s', commit]),
  };
}

/** Installs `@dimforge/rapier3d-simd-compat@SIMD_VERSION` under `<workDir>/rapier-simd` (once) and returns its directory. */
export function ensureSimdPackage(workDir: string): string {
  const prefix = join(workDir, 'rapier-simd');
  const dir = join(prefix, 'node_modules', SIMD_PACKAGE);
  const installed = packageAt(prefix, SIMD_PACKAGE);
  if (installed.version === SIMD_VERSION) return dir;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), `${JSON.stringify({ name: 'gripper-bench-rapier-simd', private: true }, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `${SIMD_PACKAGE}@${SIMD_VERSION}`], { cwd: prefix, stdio: ['ignore', 'inherit', 'inherit'] });
  return dir;
}

/**
 * A scratch copy of this checkout's `packages/sim-core` and `packages/shaders` (and the
 * tsconfig files) under `<workDir>/simd-current`, made afresh, whose `@dimforge/rapier3d-compat`
 * is the SIMD package at `simdDir`.
 */
export function simdTree(workDir: string, simdDir: string, child: ChildFiles): SourceTree {
  const root = join(workDir, 'simd-current');
  if (existsSync(join(root, 'node_modules'))) linkNodeModules(root, REPO_ROOT); // checks it is ours
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const file of ['package.json', 'tsconfig.base.json', 'tsconfig.json']) copyFileSync(join(REPO_ROOT, file), join(root, file));
  for (const pkg of ['packages/sim-core', 'packages/shaders']) {
    mkdirSync(join(root, pkg), { recursive: true });
    copyFileSync(join(REPO_ROOT, pkg, 'package.json'), join(root, pkg, 'package.json'));
    cpSync(join(REPO_ROOT, pkg, 'src'), join(root, pkg, 'src'), { recursive: true });
  }
  linkNodeModules(root, REPO_ROOT, new Map([['@dimforge/rapier3d-compat', simdDir]]));
  return { root, childEntry: installChildFiles(root, child), rapier: packageAt(root, '@dimforge/rapier3d-compat') };
}
