import { realpath } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeConfigInForce } from '../approval/config-in-force.js';
import { LineReader } from '../approval/line-reader.js';
import { isInteractive, type CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { ExitCode } from '@coordinate/protocol';
import { CONFIG_JSON, loadRepoConfig, recordTrust, userConfigDir } from '../config/index.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { loadSettings } from './settings.js';

const TrustFlags = defineFlags({ yes: flag('-y, --yes', 'trust it without asking'), cwd: cwdFlag });

/**
 * `coordinate trust`: shows the repository's `.coordinate/config.json`, what it widens beyond
 * the person's settings, and records their trust in that exact text (by its sha256) in their
 * config folder. A changed file is untrusted again until reviewed again.
 */
export function registerTrustCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  TrustFlags.declare(
    program.command('trust').description(`review the repository's ${CONFIG_JSON} and trust that exact file, so it may widen your settings`),
  ).action(async (raw: unknown) => {
    const flags = TrustFlags.read(raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const say = (text: string) => context.stdout.write(`${text}\n`);
    const file = await loadRepoConfig(repoRoot);
    if (!file) {
      say(`There is no ${CONFIG_JSON} in ${repoRoot}; there is nothing to trust.`);
      return done(ExitCode.ok);
    }
    const { inForce } = await loadSettings(repoRoot, {}, context.env);
    const status = inForce.repoConfig!;
    say(`${repoRoot}/${CONFIG_JSON}:\n${file.text.trimEnd()}\n`);
    for (const line of describeConfigInForce(inForce)) say(line);
    if (status.trustedBy === 'record') return done(ExitCode.ok);
    if (!flags.yes) {
      if (!isInteractive(context)) throw new UsageError('nobody is at a terminal to confirm', 'run `coordinate trust --yes` to trust this exact file');
      context.stdout.write('Trust this exact file? [y/N] ');
      const reader = new LineReader(context.stdin);
      const answer = await reader.next().finally(() => reader.close());
      if (!/^y(es)?$/i.test(answer?.trim() ?? '')) {
        say('Not trusted; the file can only narrow your settings.');
        return done(ExitCode.ok);
      }
    }
    await recordTrust(userConfigDir(context.env), await realpath(repoRoot), status.sha256);
    say(`Trusted (sha256 ${status.sha256.slice(0, 12)}…); if the file changes, review it again with coordinate trust.`);
    done(ExitCode.ok);
  });
}
