import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Writes a benchmark's figures to `bench/results/<name>.json` (or `file` when given) and says where. */
export function writeResults(name: string, results: unknown, file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `${name}.json`)): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
  return file;
}
