import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '@coordinate/plan';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, tempDir, writePlanFile } from './helpers.js';

afterEach(cleanup);

// Built from parts so this file holds no literal a scanner would flag.
const STRIPE = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
const PASSWORD = `Q7v!x2Lp${'9#Rt4Wm8'}`;
const GITHUB = `ghp_${'R8sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2o'}`;
const VALUES = [STRIPE, PASSWORD, GITHUB];

async function filesUnder(dir: string): Promise<{ file: string; content: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => ({ file: join(e.parentPath, e.name), content: await readFile(join(e.parentPath, e.name), 'latin1') })),
  );
}

const plan: Plan = {
  goal: 'Document the setup',
  summary: 'Read the settings and write notes.',
  tasks: [{ id: 'notes', title: 'Read the settings', role: 'research', instructions: 'Read .env and deploy/token.txt and note what they hold.', dependsOn: [] }],
};

describe('a repository holding secrets', () => {
  it('never has them copied into the journal, transcripts, scratchpad, logs, reports, team memory or MEMORY.md', async () => {
    const repo = await sampleRepo({ memory: { dreamEvery: 1 } });
    await writeFile(join(repo, '.env'), `STRIPE_KEY=${STRIPE}\nDB_PASSWORD=${PASSWORD}\n`);
    await mkdir(join(repo, 'deploy'), { recursive: true });
    await writeFile(join(repo, 'deploy', 'token.txt'), `${GITHUB}\n`);
    // The model reads the files, then repeats the values as if it had seen them.
    const server = await scriptedServer({
      tasks: {
        notes: [
          turn(toolUse('read_file', { path: '.env' }), toolUse('read_file', { path: 'deploy/token.txt' })),
          turn(
            toolUse('scratchpad_write', { name: 'settings.md', content: `STRIPE_KEY=${STRIPE}\nDB_PASSWORD=${PASSWORD}\ntoken ${GITHUB}` }),
            toolUse('memory_propose', { kind: 'fact', text: `The deploy token is ${GITHUB} and the Stripe key is ${STRIPE}` }),
          ),
          turn(completeTask({ status: 'succeeded', summary: `Stripe ${STRIPE}, database password=${PASSWORD}, GitHub ${GITHUB}` })),
        ],
      },
    });
    const planFile = await writePlanFile(await tempDir(), plan);
    const reports = await tempDir();
    const result = await coordinate(['run', planFile, '--report-json', join(reports, 'report.json'), '--junit', join(reports, 'junit.xml')], {
      cwd: repo,
      env: cliEnv(server),
    });
    expect(result.exitCode, result.stderr).toBe(0);

    // What the model was shown of the files had the values taken out already.
    const shown = JSON.stringify(server.requests.filter((r) => r.taskId === 'notes').map((r) => r.body));
    expect(shown).toContain('STRIPE_KEY=[redacted:stripe]');
    expect(shown).toContain('[redacted:github]');

    const files = [...(await filesUnder(join(repo, '.coordinate'))), ...(await filesUnder(reports))];
    const names = files.map((f) => f.file);
    expect(names.some((n) => n.endsWith('journal.jsonl'))).toBe(true);
    expect(names.some((n) => n.endsWith('transcripts/notes.jsonl'))).toBe(true);
    expect(names.some((n) => n.endsWith('scratchpad/notes/settings.md'))).toBe(true);
    expect(names.some((n) => n.endsWith('MEMORY.md'))).toBe(true);
    expect(names.some((n) => n.endsWith('memory.db'))).toBe(true);
    for (const { file, content } of files) for (const value of VALUES) expect(content.includes(value), `${value} in ${file}`).toBe(false);
    for (const value of VALUES) expect(result.stdout + result.stderr).not.toContain(value);
  }, 120_000);
});
