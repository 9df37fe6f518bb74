import {
  DATASET_KIND,
  DATASET_SCHEMA_VERSION,
  MANIFEST_FILE,
  decodeEpisode,
  msgpackValueEnd,
  type DatasetManifest,
  type Episode,
  type EpisodeLayout,
} from '@gripgen/trajgen';

/** A file picked or dropped into the page, with the path it had inside a picked folder (if any). */
export interface DroppedFile {
  /** `webkitRelativePath` or the path below a dropped folder; the bare name otherwise. */
  path: string;
  file: File;
}

/**
 * A trajgen dataset read in the page from its files: `manifest.json` and the shard files it
 * lists (`shards/shard-NNNNN.msgpack`, matched by name). Each shard is checked against the
 * manifest's size and sha256, split into records, and episodes are decoded on demand.
 */
export class LoadedDataset {
  private constructor(
    /** What the dataset was loaded from, for labels. */
    readonly name: string,
    readonly manifest: DatasetManifest,
    private readonly shards: { bytes: Uint8Array; offsets: number[] }[],
  ) {}

  /** Number of episodes. */
  get count(): number {
    return this.shards.reduce((sum, s) => sum + s.offsets.length - 1, 0);
  }

  /** Decodes episode `index` (attempt order). */
  episode(index: number): Episode {
    let i = index;
    for (const shard of this.shards) {
      const records = shard.offsets.length - 1;
      if (i < records) {
        const layout: EpisodeLayout = { obsSize: this.manifest.obsNames.length, actionSize: this.manifest.actionNames.length };
        return decodeEpisode(shard.bytes, shard.offsets[i], shard.offsets[i + 1], layout);
      }
      i -= records;
    }
    throw new RangeError(`episode ${index} of ${this.count}`);
  }

  /**
   * Reads a dataset from picked or dropped files. The manifest is the `manifest.json` with the
   * shortest path (a dataset folder's `failed/` subfolder has its own). Throws saying what is
   * missing or wrong.
   */
  static async fromFiles(files: readonly DroppedFile[]): Promise<LoadedDataset> {
    const manifests = files.filter((f) => baseName(f.path) === MANIFEST_FILE).sort((a, b) => a.path.length - b.path.length);
    if (manifests.length === 0) throw new Error(`no ${MANIFEST_FILE} among the ${files.length} files: pick the dataset folder, or its manifest.json with its shard files`);
    const manifestFile = manifests[0];
    const folder = manifestFile.path.slice(0, manifestFile.path.length - MANIFEST_FILE.length);
    const manifest = checkManifest(JSON.parse(await manifestFile.file.text()), manifestFile.path);
    const shards: { bytes: Uint8Array; offsets: number[] }[] = [];
    for (const entry of manifest.shards) {
      // Prefer the file at the manifest's relative path, else any file of that name.
      const file = files.find((f) => f.path === folder + entry.file) ?? files.find((f) => baseName(f.path) === baseName(entry.file));
      if (!file) throw new Error(`shard ${entry.file} is missing: pick it together with ${MANIFEST_FILE} (or pick the whole dataset folder)`);
      const bytes = new Uint8Array(await file.file.arrayBuffer());
      if (bytes.length !== entry.bytes) throw new Error(`${entry.file}: ${bytes.length} bytes, the manifest says ${entry.bytes}`);
      if (globalThis.crypto?.subtle) {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
        if (hex !== entry.sha256) throw new Error(`${entry.file}: sha256 differs from the manifest's (damaged or from another run)`);
      }
      const offsets = [0];
      while (offsets[offsets.length - 1] < bytes.length) offsets.push(msgpackValueEnd(bytes, offsets[offsets.length - 1]));
      if (offsets.length - 1 !== entry.episodes) throw new Error(`${entry.file}: ${offsets.length - 1} records, the manifest says ${entry.episodes}`);
      shards.push({ bytes, offsets });
    }
    // A picked folder gives the dataset its name; loose files give the run's task and seed.
    const name = folder ? folder.replace(/\/$/, '').split('/').pop()! : `${manifest.taskId} seed ${manifest.seed}`;
    const dataset = new LoadedDataset(name, manifest, shards);
    if (dataset.count === 0) throw new Error(`${manifestFile.path}: the dataset holds no episodes`);
    return dataset;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The manifest fields the viewer relies on, checked. */
function checkManifest(value: unknown, source: string): DatasetManifest {
  const m = value as Partial<DatasetManifest> | null;
  if (!m || typeof m !== 'object' || m.kind !== DATASET_KIND) throw new Error(`${source}: not a gripgen dataset manifest (kind ${JSON.stringify(m?.kind)})`);
  if (m.schemaVersion !== DATASET_SCHEMA_VERSION) throw new Error(`${source}: schemaVersion ${String(m.schemaVersion)} is not supported (the viewer reads ${DATASET_SCHEMA_VERSION})`);
  if (!Array.isArray(m.obsNames) || !Array.isArray(m.actionNames) || !Array.isArray(m.shards) || typeof m.taskId !== 'string') {
    throw new Error(`${source}: taskId, obsNames, actionNames and shards are required`);
  }
  return m as DatasetManifest;
}

/** The files of a drop: folders are walked (`webkitGetAsEntry`), plain files taken as they are. */
export async function droppedFiles(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ path: file.name, file }));
  const out: DroppedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}

/** The files of a file input (`webkitRelativePath` when a folder was picked). */
export function inputFiles(input: HTMLInputElement): DroppedFile[] {
  return [...(input.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}
