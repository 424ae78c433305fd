import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { ExitCode } from '@coordinate/protocol';
import { OptionError, parseDurationMs } from '../config/index.js';
import { isLive, issueToken, readIssuedTokens, revokeToken, TokenName, tokenStorePath } from '../tokens/index.js';
import { defineFlags, flag } from '../cli/flags.js';

const CreateFlags = defineFlags({
  ttl: flag('--ttl <duration>', 'how long it is valid, e.g. 30m, 1h, 720h (default: until revoked)'),
  name: flag('--name <name>', 'what to call it in list and revoke (default: a random one)', { schema: TokenName.optional() }),
});

/** `coordinate token create|list|revoke`: credentials for workers started by hand on other machines. */
export function registerTokenCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  const file = () => tokenStorePath(context.env);
  const token = program.command('token').description(`tokens for workers started by hand (coordinate worker); only their hashes are kept, in ${tokenStorePath(context.env)}`);

  CreateFlags.declare(token.command('create').description('issue a token and print it once; a run started with --host accepts it until it expires or is revoked'))
    .action(async (raw: unknown) => {
      const flags = CreateFlags.read(raw);
      const ttlMs = flags.ttl === undefined ? undefined : parseDurationMs(flags.ttl);
      if (ttlMs === 0 || (flags.ttl !== undefined && ttlMs === undefined)) throw new OptionError('--ttl', `must be a duration such as 30m or 1h; got "${flags.ttl}"`);
      const name = flags.name ?? `worker-${randomBytes(3).toString('hex')}`;
      const { token: value, issued } = await issueToken(file(), name, ttlMs);
      context.stdout.write(`${value}\n`);
      context.stderr.write(
        `Token "${issued.name}" ${issued.expiresAt ? `valid until ${issued.expiresAt}` : 'valid until revoked'}. It is shown only this once.\n` +
          `Start a worker with it in COORDINATE_TOKEN (never on the command line): COORDINATE_TOKEN=… coordinate worker --url …\n`,
      );
      done(ExitCode.ok);
    });

  token
    .command('list')
    .description('the issued tokens: name, created, expires (never the tokens themselves)')
    .action(() => {
      const now = Date.now();
      const tokens = readIssuedTokens(file());
      if (tokens.length === 0) context.stdout.write('No tokens issued. Create one with `coordinate token create --name NAME`.\n');
      for (const entry of tokens) {
        const expiry = entry.expiresAt === undefined ? 'never expires' : `${isLive(entry, now) ? 'expires' : 'EXPIRED'} ${entry.expiresAt}`;
        context.stdout.write(`${entry.name}  created ${entry.createdAt}  ${expiry}\n`);
      }
      done(ExitCode.ok);
    });

  token
    .command('revoke')
    .description('refuse a token from now on, in running coordinators too (401 at the next connection)')
    .argument('<name>', 'the token name shown by coordinate token list')
    .action(async (name: string) => {
      await revokeToken(file(), name);
      context.stdout.write(`Revoked "${name}".\n`);
      done(ExitCode.ok);
    });
}
