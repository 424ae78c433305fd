import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoScenario } from './demo-scenario.js';
import { readScenarioFile } from './scenario-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-scenario-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readScenarioFile', () => {
  it('reads a scenario written as JSON', async () => {
    const file = join(dir, 'demo.json');
    await writeFile(file, JSON.stringify(demoScenario()));
    expect(await readScenarioFile(file)).toEqual(demoScenario());
  });

  it('names the file and the field of an invalid scenario', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ tasks: { t1: [{ content: [{ type: 'tool_use', input: {} }] }] } }));
    await expect(readScenarioFile(file)).rejects.toMatchObject({ code: 'scenario_invalid', message: expect.stringContaining('tasks.t1[0].content[0].name') });
  });

  it('names a file that is not JSON', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{');
    await expect(readScenarioFile(file)).rejects.toMatchObject({ code: 'scenario_unreadable', message: expect.stringContaining(file) });
  });
});
