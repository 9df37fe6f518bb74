/**
 * The source trees a before/after benchmark measures (the gripper and generation-host benches),
 * each a directory that a child process runs in (`cwd`) with its own `node_modules`, so that two
 * trees' modules never mix:
 *
 * - **current**: this checkout as it is (working tree, uncommitted edits included);
 * - **baseline**: a git worktree of the baseline commit (detached), reused while its HEAD
 *   is that commit; a Rapier package the baseline's sim-core pins and this checkout lacks (a
 *   baseline from before sim-core moved to Rapier's SIMD build pins the scalar build) is
 *   installed into the work directory and linked in its place;
 * - **scalar**: a scratch copy of this checkout's `packages/sim-core` and `packages/shaders`
 *   whose Rapier (`@dimforge/rapier3d-simd-compat`) is Rapier's scalar build
 *   (`@dimforge/rapier3d-compat`, installed into the work directory, not into the project).
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

/** The Rapier build sim-core runs on (its SIMD build). */
export const RAPIER_PACKAGE = '@dimforge/rapier3d-simd-compat';
/** Rapier's scalar build, run as a variant on this checkout's sources; baselines before the SIMD build pinned it. */
export const SCALAR_PACKAGE = '@dimforge/rapier3d-compat';
export const SCALAR_VERSION = '0.21.0';
/** The Rapier packages a tree's sim-core may depend on. */
const RAPIER_PACKAGES = [RAPIER_PACKAGE, SCALAR_PACKAGE];

/** A tree a child process runs in. */
export interface SourceTree {
  /** Directory the child runs in (its `cwd`). */
  root: string;
  /** The child entry (`child.ts`) inside the tree. */
  childEntry: string;
  /** The Rapier package the tree's sim-core resolves: the real package's name and version. */
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
    rapier: rapierAt(REPO_ROOT),
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
  linkNodeModules(root, REPO_ROOT, missingPins(root, workDir));
  return {
    root,
    childEntry: installChildFiles(root, child),
    rapier: rapierAt(root),
    commit,
    subject: git(['log', '-1', '--format=%s', commit]),
  };
}

/** The Rapier package `root`'s sim-core depends on, as `root/node_modules` resolves it. */
function rapierAt(root: string): { name: string; version: string } {
  const deps = simCoreDependencies(root);
  const name = RAPIER_PACKAGES.find((p) => p in deps) ?? RAPIER_PACKAGE;
  return packageAt(root, name);
}

function simCoreDependencies(root: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', 'sim-core', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return pkg.dependencies ?? {};
}

/**
 * The Rapier packages that `root`'s sim-core pins and this checkout's `node_modules` does not
 * hold at that version, each installed into the work directory: name → directory.
 */
function missingPins(root: string, workDir: string): Map<string, string> {
  const deps = simCoreDependencies(root);
  const overrides = new Map<string, string>();
  for (const name of RAPIER_PACKAGES) {
    const version = deps[name];
    if (version !== undefined && packageAt(REPO_ROOT, name).version !== version) overrides.set(name, ensurePackage(workDir, name, version));
  }
  return overrides;
}

/** Installs `name@version` under `<workDir>/packages/<name>@<version>` (once) and returns the package's directory. */
export function ensurePackage(workDir: string, name: string, version: string): string {
  const prefix = join(workDir, 'packages', `${name.replace('/', '+')}@${version}`);
  const dir = join(prefix, 'node_modules', name);
  if (packageAt(prefix, name).version === version) return dir;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), `${JSON.stringify({ name: 'gripgen-bench-package', private: true }, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `${name}@${version}`], { cwd: prefix, stdio: ['ignore', 'inherit', 'inherit'] });
  return dir;
}

/**
 * A scratch copy of this checkout's `packages/sim-core` and `packages/shaders` (and the
 * tsconfig files) under `<workDir>/scalar-current`, made afresh, whose `RAPIER_PACKAGE` is the
 * scalar build at `scalarDir` (the same API). For throughput only: the scalar build is 0.21,
 * which reports contact impulses without the warm-start impulse that sim-core takes out of
 * 0.20's, so `contacts()` forces read n/(n + 1) too low in this tree.
 */
export function scalarTree(workDir: string, scalarDir: string, child: ChildFiles): SourceTree {
  const root = join(workDir, 'scalar-current');
  if (existsSync(join(root, 'node_modules'))) linkNodeModules(root, REPO_ROOT); // checks it is ours
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const file of ['package.json', 'tsconfig.base.json', 'tsconfig.json']) copyFileSync(join(REPO_ROOT, file), join(root, file));
  for (const pkg of ['packages/sim-core', 'packages/shaders']) {
    mkdirSync(join(root, pkg), { recursive: true });
    copyFileSync(join(REPO_ROOT, pkg, 'package.json'), join(root, pkg, 'package.json'));
    cpSync(join(REPO_ROOT, pkg, 'src'), join(root, pkg, 'src'), { recursive: true });
  }
  linkNodeModules(root, REPO_ROOT, new Map([[RAPIER_PACKAGE, scalarDir]]));
  return { root, childEntry: installChildFiles(root, child), rapier: packageAt(root, RAPIER_PACKAGE) };
}
