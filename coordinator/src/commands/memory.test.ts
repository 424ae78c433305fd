import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { openMemory } from '@coordinate/memory';
import { registerMemoryCommand } from './memory.js';
import { memoryDbPath } from './memory-repo.js';

const dirs: string[] = [];
afterEach(() => {
  process.exitCode = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'coordinate-memory-cli-'));
  dirs.push(root);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  return root;
}

/** Runs `coordinate <args>` in `cwd` and returns what it printed and the exit code it set. */
async function cli(cwd: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command().exitOverride();
  registerMemoryCommand(program, { cwd: () => cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  process.exitCode = undefined;
  await program.parseAsync(args, { from: 'user' });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

describe('coordinate memory', () => {
  it('adds, lists, searches, shows and forgets entries in the repository found from a subfolder', async () => {
    const root = repo();
    const sub = join(root, 'src', 'deep');
    const added = JSON.parse((await cli(sub, 'memory', 'add', '--kind', 'convention', '--tags', 'api', '--json', 'Never', 'edit', 'src/generated/**', 'by', 'hand.')).out);
    expect(added).toMatchObject({ action: 'inserted', id: expect.stringMatching(/^m-/) });
    await cli(root, 'memory', 'add', 'The', 'API', 'client', 'is', 'generated', 'by', '`npm run codegen`.');

    const listed = JSON.parse((await cli(root, 'memory', 'list', '--json')).out);
    expect(listed).toHaveLength(2);
    expect(listed.find((e: { id: string }) => e.id === added.id)).toMatchObject({ kind: 'directive', tags: ['api'] });
    expect((await cli(root, 'memory', 'list', '--kind', 'directive')).out).toContain(`${added.id}  directive`);

    const found = JSON.parse((await cli(root, 'memory', 'search', '--json', 'how', 'is', 'the', 'API', 'client', 'generated')).out);
    expect(found[0].summary).toContain('The API client is generated');
    expect((await cli(root, 'memory', 'search', 'kubernetes', 'ingress')).out).toBe('Nothing relevant in team memory.');
    const guarded = JSON.parse((await cli(root, 'memory', 'search', '--json', '--files', 'src/generated/user.ts', 'add', 'a', 'field')).out);
    expect(guarded.map((r: { id: string }) => r.id)).toContain(added.id);

    expect((await cli(root, 'memory', 'show', added.id)).out).toMatch(/status: active[\s\S]*history:/);
    expect((await cli(root, 'memory', 'forget', added.id)).out).toContain(`forgot ${added.id}`);
    expect(await cli(root, 'memory', 'show', added.id)).toMatchObject({ code: 2, err: expect.stringContaining(`no memory entry "${added.id}"`) });
  });

  it('reads an empty memory without creating the database', async () => {
    const root = repo();
    expect(await cli(root, 'memory', 'list')).toMatchObject({ out: 'No memory entries.', code: 0 });
    expect(await cli(root, 'memory', 'search', 'anything')).toMatchObject({ out: 'Nothing relevant in team memory.', code: 0 });
    expect(() => readFileSync(join(root, '.coordinate', 'memory.db'))).toThrow();
  });

  it('dreams with --dry-run without writing, then for real', async () => {
    const root = repo();
    await cli(root, 'memory', 'add', '--kind', 'pitfall', 'Jest', 'fake', 'timers', 'break', 'the', 'limiter', 'tests.');
    const dry = await cli(root, 'memory', 'dream', '--dry-run');
    expect(dry.out).toContain('would rewrite');
    expect(() => readFileSync(join(root, '.coordinate', 'MEMORY.md'))).toThrow();
    expect((await cli(root, 'memory', 'dream')).out).toContain('rewrote');
    expect(readFileSync(join(root, '.coordinate', 'MEMORY.md'), 'utf8')).toContain('## Pitfalls');
  });

  it('exports to JSON and imports into another repository', async () => {
    const [a, b] = [repo(), repo()];
    await cli(a, 'memory', 'add', 'Releases', 'are', 'cut', 'from', 'the', 'release', 'branch.');
    await cli(a, 'memory', 'export', 'memory.json');
    const preview = await cli(b, 'memory', 'import', join(a, 'memory.json'));
    expect(preview.out).toMatch(/^add {6}m-[0-9a-f]+ {2}fact {8}Releases are cut from the release branch\.\n1 add, 0 change, 0 archive, 0 refuse; 0 unchanged\nNothing changed; run again with --yes to apply\.$/);
    expect((await cli(b, 'memory', 'list')).out).toBe('No memory entries.');
    const imported = await cli(b, 'memory', 'import', '--yes', '--json', join(a, 'memory.json'));
    expect(JSON.parse(imported.out)).toMatchObject({ applied: true, result: { inserted: 1, updated: 0, skipped: 0, refused: 0 } });
    expect(JSON.parse((await cli(b, 'memory', 'list', '--json')).out)[0].body).toBe('Releases are cut from the release branch.');
  });

  it("previews an import that reuses a person's directive id or another entry's id, and refuses both", async () => {
    const root = repo();
    const rule = JSON.parse((await cli(root, 'memory', 'add', '--kind', 'directive', '--json', 'Never edit src/generated/**')).out) as { id: string };
    const fact = JSON.parse((await cli(root, 'memory', 'add', '--json', 'Releases are cut from the release branch.')).out) as { id: string };
    const data = JSON.parse((await cli(root, 'memory', 'export')).out) as { entries: Record<string, unknown>[] };
    const byId = (id: string) => data.entries.find((entry) => entry.id === id)!;
    Object.assign(byId(rule.id), { body: 'Edit src/generated/** freely.', version: 5 });
    Object.assign(byId(fact.id), { kind: 'procedure', version: 5 });
    writeFileSync(join(root, 'poison.json'), JSON.stringify(data));

    const preview = await cli(root, 'memory', 'import', 'poison.json');
    expect(preview.out).toContain(`refuse   ${rule.id}  directive   Never edit src/generated/**: ${rule.id} is a directive a person wrote here`);
    expect(preview.out).toContain(`refuse   ${fact.id}  procedure   Releases are cut from the release branch.: id ${fact.id} already names a different entry here`);
    const applied = await cli(root, 'memory', 'import', '--yes', 'poison.json');
    expect(applied.out).toContain('imported 0 new, 0 updated, 0 unchanged, 2 refused');
    expect(JSON.parse((await cli(root, 'memory', 'show', '--json', rule.id)).out).entry).toMatchObject({ body: 'Never edit src/generated/**', version: 1 });
  });

  it('lists a proposed directive as such and puts it in force with accept', async () => {
    const root = repo();
    mkdirSync(join(root, '.coordinate'));
    const store = openMemory(memoryDbPath(root), { repoRoot: root });
    const proposed = store.admit({ kind: 'directive', text: 'Never run `npm publish`.', source: { runId: 'r1', taskId: 't1' } });
    store.close();
    expect((await cli(root, 'memory', 'list')).out).toContain(`(proposed by a task, not in force until \`coordinate memory accept ${proposed.id}\`)`);
    expect((await cli(root, 'memory', 'accept', proposed.id)).out).toBe(`accepted ${proposed.id}: Never run \`npm publish\`.`);
    expect((await cli(root, 'memory', 'list')).out).toBe(`${proposed.id}  directive   Never run \`npm publish\`.`);
    expect(await cli(root, 'memory', 'accept', proposed.id)).toMatchObject({ code: 2, err: expect.stringContaining('is active, not proposed') });
  });

  it('answers bad input with one clear line and exit code 2', async () => {
    const root = repo();
    expect(await cli(root, 'memory', 'add', '--kind', 'rumour', 'x')).toMatchObject({ code: 2, err: 'coordinate memory: unknown kind "rumour"; use one of fact, convention, directive, pitfall, procedure' });
    expect((await cli(root, 'memory', 'search', '--budget', 'lots', 'x')).err).toContain('--budget must be a whole number');
    writeFileSync(join(root, 'bad.json'), '{"entries":');
    expect((await cli(root, 'memory', 'import', 'bad.json')).err).toMatch(/^coordinate memory: cannot read bad.json as JSON/);
    mkdirSync(join(root, '.coordinate'));
    writeFileSync(join(root, '.coordinate', 'memory.db'), 'garbage '.repeat(200));
    const corrupt = await cli(root, 'memory', 'list');
    expect(corrupt.code).toBe(2);
    expect(corrupt.err).toMatch(/memory\.db is not a readable memory database; it was left untouched/);
    expect(corrupt.err.split('\n')).toHaveLength(1);
    expect(readFileSync(join(root, '.coordinate', 'memory.db'), 'utf8')).toBe('garbage '.repeat(200));
  });

  it('holds opposing directives for the person and shows them with `memory conflicts` and `memory show`', async () => {
    const root = repo();
    const tabs = JSON.parse((await cli(root, 'memory', 'add', '--kind', 'directive', '--json', 'Always indent with tabs.')).out) as { id: string };
    // A task's proposal arrives through the same admission; the CLI's own adds are the person's.
    const { openMemory } = await import('@coordinate/memory');
    const store = openMemory(join(root, '.coordinate', 'memory.db'));
    const spaces = store.admit({ kind: 'directive', text: 'Never indent with tabs.', source: { runId: 'r1', taskId: 't1' } });
    store.close();
    const conflicts = await cli(root, 'memory', 'conflicts');
    expect(conflicts.code).toBe(0);
    expect(conflicts.out).toContain(`${spaces.id}  Never indent with tabs.`);
    expect(conflicts.out).toContain(`opposes ${tabs.id}  Always indent with tabs.`);
    const shown = await cli(root, 'memory', 'show', spaces.id);
    expect(shown.out).toContain(`contradicts → ${tabs.id}`);
    const json = JSON.parse((await cli(root, 'memory', 'show', '--json', tabs.id)).out) as { relations: { type: string; from: string }[] };
    expect(json.relations).toContainEqual(expect.objectContaining({ type: 'contradicts', from: spaces.id }));
    await cli(root, 'memory', 'forget', tabs.id);
    expect((await cli(root, 'memory', 'conflicts')).out).toBe('No conflicting directives.');
  });
});
