/** Node file I/O for policy files; the format itself is in `policy-file.ts` (browser-safe). */
import { readFile, writeFile } from 'node:fs/promises';
import { decodePolicy, encodePolicy } from './policy-file.js';
import type { BcPolicy } from './policy.js';

/** Writes `policy` to `path` as a policy file. */
export async function savePolicyFile(path: string, policy: BcPolicy): Promise<void> {
  await writeFile(path, encodePolicy(policy), 'utf8');
}

/** Reads and validates the policy file at `path`; errors name the path and the bad field. */
export async function loadPolicyFile(path: string): Promise<BcPolicy> {
  const text = await readFile(path, 'utf8');
  try {
    return decodePolicy(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
