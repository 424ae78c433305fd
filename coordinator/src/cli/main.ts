import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GuardedStdout } from './guarded-stdout.js';
import { watchInterrupts } from './interrupts.js';
import { runCli } from './program.js';

const { version } = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')));

// A reader that goes away (`coordinate --help | head`) is not an error worth a stack trace.
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const interrupts = watchInterrupts(
  process,
  (code) => process.exit(code),
  (text) => process.stderr.write(text),
);
// A run whose stdout closes stops like a Ctrl-C (its journal and report stay whole); anything else just ends.
const stdout = new GuardedStdout(process.stdout, () => {
  if (!interrupts.stop()) process.exit(process.exitCode ?? 0);
});
const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupts,
  version,
});
interrupts.dispose();
process.exitCode = code;
// Output is flushed by a natural exit; a handle some library left open must not keep the command alive.
setTimeout(() => process.exit(code), 2_000).unref();
