import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('invalid_config', z.unknown(), { retryable: false, exit: 'usage' });
defineError('invalid_option', z.unknown(), { retryable: false, exit: 'usage' });

/** A project config file that cannot be used; the message names the file, the key and what is expected. */
export class ConfigError extends CoordinateError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      'invalid_config',
      problems.length === 1 ? `${file}: ${problems[0]}` : `${file} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { file, problems },
    );
  }
}

/** A command-line option with a value it cannot take, e.g. `--workers four`. */
export class OptionError extends CoordinateError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super('invalid_option', `${option}: ${problem}`, { option });
  }
}
