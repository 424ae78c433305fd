import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { closeServers, filesUnder, finished, removeTempDirs, runAgents, scriptedServer, sentToModel, spec, tempDir } from './helpers.js';

afterEach(async () => {
  await closeServers();
  await removeTempDirs();
});

// Values no redaction rule recognises by their shape: only knowing them as secrets hides them.
const CANARY_KEY = 'canary-api-key-4f6e1d9c0b7a';
const CANARY_TOKEN = 'canary-run-token-8c2b5e0d3f1a9';

// The last reads the worker's own environment, which does hold both secrets.
const COMMANDS = ['env', 'printenv ANTHROPIC_API_KEY COORDINATE_TOKEN', 'cat /proc/self/environ', `echo ${CANARY_KEY}`, 'cat /proc/$PPID/environ'];

describe('secrets of a model-driven run', () => {
  it('never show in what a command prints, nor in any journal, log, transcript or scratchpad file of the run', async () => {
    const repoRoot = await tempDir('coordinate-agents-secrets-');
    const server = await scriptedServer({
      tasks: {
        snoop: [
          turn(...COMMANDS.map((command) => toolUse('run_command', { command }))),
          turn(toolUse('scratchpad_write', { name: 'env.md', content: `what I tried: ${COMMANDS.join('; ')}` })),
          turn(completeTask({ status: 'succeeded', summary: `ran ${COMMANDS.length} commands`, evidence: [{ command: 'env', exitCode: 0, excerpt: 'PATH=' }] })),
        ],
      },
    });
    const { outcome, events, runDir } = await runAgents({
      repoRoot,
      runId: 'canary',
      tasks: [spec('snoop', 'verify')],
      server,
      workers: 1,
      apiKey: CANARY_KEY,
      token: CANARY_TOKEN,
    });

    expect(outcome.outcome).toBe('succeeded');
    // The commands really ran, so their output could have leaked.
    const ran = finished(events, 'snoop')!.result.commandsRun!;
    expect(ran.map((c) => c.command).sort()).toEqual(COMMANDS.map((c) => c.replace(CANARY_KEY, '[REDACTED]')).sort());
    expect(ran.find((c) => c.command === 'env')).toMatchObject({ exitCode: 0, excerpt: expect.stringContaining('PATH=') });

    // What the model was told each command printed: the environment, but no secret in it.
    const answer = server.requests.find((r) => r.taskId === 'snoop' && r.turnIndex === 1 && r.status === 200)!.body as { messages: { content: unknown }[] };
    const printed = (answer.messages.at(-1)!.content as { content: string }[]).map((block) => block.content);
    expect(printed).toHaveLength(COMMANDS.length);
    expect(printed[0]).toContain('PATH=');
    // The command's parent is the sandbox's own init, whose environment holds no credential at all.
    expect(printed[4]).toContain('PATH=');
    expect(printed[4]).not.toMatch(/COORDINATE_TOKEN|ANTHROPIC_API_KEY/);
    // Even the key the model typed out itself comes back redacted.
    for (const output of printed) {
      expect(output).not.toContain(CANARY_KEY);
      expect(output).not.toContain(CANARY_TOKEN);
    }
    expect(sentToModel(server)).not.toContain(CANARY_TOKEN);

    const files = await filesUnder(runDir);
    const names = files.map((f) => f.file.slice(runDir.length + 1)).sort();
    expect(names).toEqual(expect.arrayContaining(['journal.jsonl', 'logs/coordinator.log', 'logs/w1.log', 'scratchpad/snoop/env.md', 'transcripts/snoop.jsonl']));
    for (const { file, content } of files) {
      expect(content, file).not.toContain(CANARY_KEY);
      expect(content, file).not.toContain(CANARY_TOKEN);
    }
    // The transcript and the scratchpad note hold the attempt, with the key that was typed out replaced.
    const transcript = files.find((f) => f.file.endsWith('transcripts/snoop.jsonl'))!.content;
    expect(transcript).toContain('echo [REDACTED]');
  });
});
