import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';

const SKIPPED = new Set(['node_modules', '.git', '.coordinate', 'dist']);
const BUILD_FILES = ['Makefile', 'pyproject.toml', 'setup.py', 'Cargo.toml', 'go.mod', 'pom.xml', 'build.gradle', 'CMakeLists.txt', 'Gemfile', 'deno.json'];
const README_NAMES = ['README.md', 'README', 'README.rst', 'README.txt', 'readme.md'];
/** A walk stops counting here, so a huge repository costs a bounded scan. */
const MAX_ENTRIES = 20_000;

const PackageJson = z.looseObject({ name: z.string().optional(), scripts: z.record(z.string(), z.string()).optional() });

async function countFiles(dir: string, budget: { left: number }): Promise<number> {
  let count = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (budget.left-- <= 0) break;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) count += await countFiles(join(dir, entry.name), budget);
    } else if (entry.isFile()) count++;
  }
  return count;
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

function packageSection(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  let parsed;
  try {
    parsed = PackageJson.safeParse(JSON.parse(raw));
  } catch {
    return ['package.json: present but not valid JSON'];
  }
  if (!parsed.success) return ['package.json: present but not the usual shape'];
  const scripts = Object.entries(parsed.data.scripts ?? {});
  const lines = [`package.json${parsed.data.name ? ` (${parsed.data.name})` : ''} scripts:`, ...scripts.map(([name, command]) => `  ${name}: ${command}`)];
  if (scripts.length === 0) lines.push('  (none)');
  if (parsed.data.scripts?.test) lines.push(`Test command: npm test (runs \`${parsed.data.scripts.test}\`)`);
  return lines;
}

/**
 * A compact picture of a repository for the planner: top folders with their file counts, the
 * package.json scripts and test command, other build files, and the head of the README, within
 * `maxChars` (the README is what gets cut).
 */
export async function repoOverview(root: string, options: { maxChars?: number } = {}): Promise<string> {
  const maxChars = options.maxChars ?? 6_000;
  const entries = (await readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const budget = { left: MAX_ENTRIES };
  const tree: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
      const files = await countFiles(join(root, entry.name), budget);
      tree.push(`  ${entry.name}/ (${files} file${files === 1 ? '' : 's'})`);
    } else if (entry.isFile()) tree.push(`  ${entry.name}`);
  }
  if (budget.left <= 0) tree.push(`  (counts stop after ${MAX_ENTRIES} entries)`);
  const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const builds = BUILD_FILES.filter((name) => names.has(name));

  const head = [
    `Repository: ${basename(root)}`,
    'Top level:',
    ...(tree.length > 0 ? tree : ['  (empty)']),
    ...packageSection(names.has('package.json') ? await readText(join(root, 'package.json')) : undefined),
    ...(builds.length > 0 ? [`Other build files: ${builds.join(', ')}`] : []),
  ].join('\n');
  if (head.length >= maxChars) return `${head.slice(0, maxChars - 12)}\n(trimmed)`;

  const readmeName = README_NAMES.find((name) => names.has(name));
  const readme = readmeName ? await readText(join(root, readmeName)) : undefined;
  if (!readme) return head;
  const room = maxChars - head.length - readmeName!.length - 20;
  if (room < 80) return head;
  const excerpt = readme.length > room ? `${readme.slice(0, room - 4).trimEnd()}\n…` : readme.trimEnd();
  return `${head}\n${readmeName} (head):\n${excerpt}`;
}
