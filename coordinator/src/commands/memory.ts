import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode } from '@coordinate/protocol';
import { describeEntry, MemoryError, MemoryKind, openMemory, previewImport, type ImportPlan, type MemoryStore } from '@coordinate/memory';
import { formatConflicts, formatDream, formatImportPreview, formatList, formatSearch } from './memory-format.js';
import { findRepoRoot, memoryDbPath } from './memory-repo.js';
import { defineFlags, flag, type FlagSpec } from '../cli/flags.js';
import { cwdFlag, CwdFlags } from './options.js';

export interface MemoryCommandOptions {
  /** The directory the repository is searched from; the process's cwd by default. */
  cwd?: () => string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  now?: () => number;
}

const USAGE_EXIT_CODE = 2;
const DEFAULT_SEARCH_BUDGET = 400;

const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined);

function parseKind(value: string): MemoryKind {
  const parsed = MemoryKind.safeParse(value);
  if (!parsed.success) {
    throw new MemoryError('invalid_input', `unknown kind "${value}"; use one of ${MemoryKind.options.join(', ')}`);
  }
  return parsed.data;
}

function parseCount(name: string, value: string): number {
  const parsed = z.coerce.number().int().positive().safeParse(value);
  if (!parsed.success) throw new MemoryError('invalid_input', `${name} must be a whole number above 0, got "${value}"`);
  return parsed.data;
}

/** Each subcommand's flags, then `--json` and `--cwd`, as every command that reads a repository takes them. */
const withJson = <T extends Record<string, FlagSpec>>(table: T) => defineFlags({ ...table, json: flag('--json', 'print JSON'), cwd: cwdFlag });
const ListFlags = withJson({ kind: flag('--kind <kind>', 'only entries of this kind'), all: flag('--all', 'include superseded and archived entries') });
const SearchFlags = withJson({
  files: flag('--files <paths>', 'comma-separated files the task touches'),
  budget: flag('--budget <tokens>', 'token budget of the summaries', { defaultValue: String(DEFAULT_SEARCH_BUDGET), schema: z.string() }),
  limit: flag('--limit <n>', 'most entries to return', { defaultValue: '10', schema: z.string() }),
});
const JsonFlags = withJson({});
const AddFlags = withJson({
  kind: flag('--kind <kind>', 'fact, convention, directive, pitfall or procedure', { defaultValue: 'fact', schema: z.string() }),
  title: flag('--title <title>', 'a one-line title (the first sentence by default)'),
  tags: flag('--tags <tags>', 'comma-separated tags'),
  files: flag('--files <paths>', 'comma-separated files the entry speaks of'),
});
const DreamFlags = withJson({ dryRun: flag('--dry-run', 'show what would change and change nothing') });
const ImportFlags = withJson({ yes: flag('--yes', 'apply the import (without it, only the preview is shown)') });

/**
 * Adds `memory list|search|show|add|accept|conflicts|forget|dream|export|import` to the CLI. Each works on the
 * repository's `.coordinate/memory.db`; reading commands never create it.
 */
export function registerMemoryCommand(program: Command, options: MemoryCommandOptions = {}): Command {
  const out = options.stdout ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = options.stderr ?? ((text: string) => process.stderr.write(`${text}\n`));
  const baseCwd = options.cwd ?? (() => process.cwd());
  // `--cwd` of the subcommand being run, as every other command takes it
  let cwdGiven: string | undefined;
  const cwd = () => resolve(baseCwd(), cwdGiven ?? '.');
  const paths = () => {
    const repoRoot = findRepoRoot(cwd());
    return { repoRoot, file: memoryDbPath(repoRoot) };
  };
  const open = (readonly: boolean): MemoryStore => {
    const { repoRoot, file } = paths();
    if (!readonly) mkdirSync(dirname(file), { recursive: true });
    return openMemory(file, { repoRoot, readonly, ...(options.now ? { now: options.now } : {}) });
  };
  const print = (json: boolean, value: unknown, text: () => string) => out(json ? JSON.stringify(value, null, 2) : text());

  /** Runs one subcommand: failures become one line on stderr and an exit code (2 for bad input, 1 for a busy database), never a stack trace. */
  const run =
    <A extends unknown[]>(body: (...args: A) => Promise<void> | void) =>
    async (...args: A) => {
      try {
        await body(...args);
      } catch (error) {
        err(`coordinate memory: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = error instanceof MemoryError ? ExitCode[error.exit] : USAGE_EXIT_CODE;
      }
    };

  /** Reading an absent memory is an empty answer, not an error. */
  const read = <T>(empty: T, body: (store: MemoryStore) => T): T => {
    let store: MemoryStore;
    try {
      store = open(true);
    } catch (error) {
      if (error instanceof MemoryError && error.code === 'no_memory') return empty;
      throw error;
    }
    try {
      return body(store);
    } finally {
      store.close();
    }
  };
  const write = async <T>(body: (store: MemoryStore) => T | Promise<T>): Promise<T> => {
    const store = open(false);
    try {
      return await body(store);
    } finally {
      store.close();
    }
  };

  const memory = program.command('memory').description('read and curate the team memory in .coordinate/memory.db');

  ListFlags.declare(memory.command('list').description('list live entries (all of them with --all)')).action(
    run((raw: unknown) => {
      const opts = ListFlags.read(raw);
      const kind = opts.kind === undefined ? undefined : parseKind(opts.kind);
      const entries = read([], (store) => store.list({ ...(kind ? { kind } : {}), includeArchived: opts.all ?? false }));
      print(opts.json ?? false, entries, () => formatList(entries));
    }),
  );

  SearchFlags.declare(
    memory
      .command('search')
      .description('find the entries relevant to a question or task, as a task prompt would get them')
      .argument('<query...>', 'what to look for'),
  ).action(
    run((words: string[], raw: unknown) => {
      const opts = SearchFlags.read(raw);
      const files = list(opts.files);
      const query = {
        query: words.join(' '),
        tokenBudget: parseCount('--budget', opts.budget),
        limit: parseCount('--limit', opts.limit),
        repoRoot: paths().repoRoot,
        ...(files ? { files } : {}),
      };
      const results = read([], (store) => store.retrieve(query));
      print(opts.json ?? false, results, () => formatSearch(results));
    }),
  );

  JsonFlags.declare(memory.command('show').description('show one entry in full, with its history').argument('<id>')).action(
    run((id: string, raw: unknown) => {
      const opts = JsonFlags.read(raw);
      const found = read(undefined, (store) => {
        const entry = store.get(id);
        return entry && { entry, history: store.history(id), relations: store.relations(id) };
      });
      if (!found) throw new MemoryError('not_found', `no memory entry "${id}"; see \`coordinate memory list --all\``, { id });
      print(opts.json ?? false, found, () => describeEntry(found.entry, found.history, found.relations));
    }),
  );

  AddFlags.declare(memory.command('add').description('add an entry as the person (directives: "never edit src/generated/**")').argument('<text...>')).action(
    run(async (words: string[], raw: unknown) => {
      const opts = AddFlags.read(raw);
      const tags = list(opts.tags);
      const files = list(opts.files);
      const proposal = {
        kind: parseKind(opts.kind),
        text: words.join(' '),
        ...(opts.title ? { title: opts.title } : {}),
        ...(tags ? { tags } : {}),
        ...(files ? { files } : {}),
      };
      const result = await write((store) => store.admit(proposal));
      const closed = result.superseded?.length ? `; it supersedes ${result.superseded.join(', ')}` : '';
      const held = result.conflicts?.length ? `; it opposes ${result.conflicts.join(', ')}: both kept, see \`coordinate memory conflicts\`` : '';
      print(opts.json ?? false, result, () => `${result.action} ${result.id}${closed}${held}`);
    }),
  );

  JsonFlags.declare(memory.command('conflicts').description('list opposing directives held for a person to decide (keep one with `memory forget <other>`)')).action(
    run((raw: unknown) => {
      const opts = JsonFlags.read(raw);
      const conflicts = read([], (store) => store.conflicts());
      print(opts.json ?? false, conflicts, () => formatConflicts(conflicts));
    }),
  );

  JsonFlags.declare(memory.command('forget').description('delete an entry for good (the system itself only supersedes or archives)').argument('<id>')).action(
    run(async (id: string, raw: unknown) => {
      const opts = JsonFlags.read(raw);
      const entry = await write((store) => store.forget(id));
      print(opts.json ?? false, { forgotten: entry.id }, () => `forgot ${entry.id}: ${entry.title}`);
    }),
  );

  JsonFlags.declare(
    memory.command('accept').description('put in force a directive a task proposed (until then it is neither shown to tasks nor enforced)').argument('<id>'),
  ).action(
    run(async (id: string, raw: unknown) => {
      const opts = JsonFlags.read(raw);
      const entry = await write((store) => store.accept(id));
      print(opts.json ?? false, { accepted: entry.id }, () => `accepted ${entry.id}: ${entry.title}`);
    }),
  );

  DreamFlags.declare(memory.command('dream').description('consolidate: merge duplicates, settle contradictions, archive stale entries, rewrite MEMORY.md')).action(
    run(async (raw: unknown) => {
      const opts = DreamFlags.read(raw);
      const report = await write(async (store) => {
        if (!opts.dryRun) store.revalidate(paths().repoRoot);
        return store.dream({ dryRun: opts.dryRun ?? false });
      });
      print(opts.json ?? false, { ...report, memoryMd: { ...report.memoryMd, content: undefined } }, () => formatDream(report));
    }),
  );

  CwdFlags.declare(memory.command('export').description('write every entry, with its history, as JSON (to stdout without a file)').argument('[file]')).action(
    run((file: string | undefined) => {
      const data = read(undefined, (store) => store.exportJson());
      const text = JSON.stringify(data ?? { format: 'coordinate-memory', version: 1, exportedAt: Date.now(), entries: [], history: [] }, null, 2);
      if (file) writeFileSync(resolve(cwd(), file), `${text}\n`);
      else out(text);
    }),
  );

  ImportFlags.declare(
    memory
      .command('import')
      .description('bring in entries from a JSON export: shows what it adds, changes, archives and refuses; applies only with --yes')
      .argument('<file>'),
  ).action(
    run(async (file: string, raw: unknown) => {
      const opts = ImportFlags.read(raw);
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(resolve(cwd(), file), 'utf8'));
      } catch (error) {
        throw new MemoryError('invalid_import', `cannot read ${file} as JSON: ${(error as Error).message}`);
      }
      const preview = read<ImportPlan | undefined>(undefined, (store) => store.previewImportJson(data)) ?? previewImport(undefined, data);
      if (!opts.yes) {
        print(opts.json ?? false, { applied: false, ...preview }, () => `${formatImportPreview(preview)}\nNothing changed; run again with --yes to apply.`);
        return;
      }
      const result = await write((store) => store.importJson(data));
      print(opts.json ?? false, { applied: true, ...preview, result }, () =>
        `${formatImportPreview(preview)}\nimported ${result.inserted} new, ${result.updated} updated, ${result.skipped} unchanged, ${result.refused} refused`,
      );
    }),
  );

  memory.hook('preAction', (_memory, action) => {
    cwdGiven = CwdFlags.read(action.opts()).cwd;
  });
  return memory;
}
