/**
 * Writes `packages/runner/schema/curve-report.schema.json`, the JSON Schema of curve.json, from
 * `src/curve/curve-schema.ts` (`npm run schema:curve`). A test fails while the file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { curveReportJsonSchemaText } from '../src/curve/curve-schema.js';

const file = fileURLToPath(new URL('../schema/curve-report.schema.json', import.meta.url));
await writeFile(file, curveReportJsonSchemaText());
process.stdout.write(`wrote ${file}\n`);
