import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedactor } from '@coordinate/logging';
import { afterEach, describe, expect, it } from 'vitest';
import { TranscriptWriter } from './transcript.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-transcript-'));
  dirs.push(dir);
  return dir;
}

const linesOf = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { kind: string; body: { n: number } });

describe('TranscriptWriter', () => {
  it('keeps every line, in order, when writes pile up faster than the disk', async () => {
    const file = join(await tempDir(), 'transcripts', 't1.jsonl');
    const transcript = new TranscriptWriter(file, createRedactor([]));
    for (let n = 0; n < 500; n++) transcript.write(n % 2 === 0 ? 'request' : 'response', { n });
    await transcript.close();
    const lines = await linesOf(file);
    expect(lines.map((l) => l.body.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(lines[1]!.kind).toBe('response');
  });

  it('appends after a close, to the same file', async () => {
    const file = join(await tempDir(), 't1.jsonl');
    const transcript = new TranscriptWriter(file, createRedactor([]));
    transcript.write('request', { n: 1 });
    await transcript.close();
    transcript.write('response', { n: 2 });
    await transcript.close();
    expect((await linesOf(file)).map((l) => l.body.n)).toEqual([1, 2]);
  });

  it('redacts secrets before they reach the file', async () => {
    const file = join(await tempDir(), 't1.jsonl');
    const transcript = new TranscriptWriter(file, createRedactor(['sk-canary-0123456789']));
    transcript.write('response', { text: 'the key is sk-canary-0123456789' });
    await transcript.close();
    const raw = await readFile(file, 'utf8');
    expect(raw).not.toContain('sk-canary-0123456789');
    expect(raw).toContain('[REDACTED]');
  });

  it('reports a disk it cannot write to from close, without throwing from write', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const transcript = new TranscriptWriter(join(dir, 'not-a-folder', 't1.jsonl'), createRedactor([]));
    expect(() => transcript.write('request', { n: 1 })).not.toThrow();
    await expect(transcript.close()).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
