import { CoordinateError } from '@coordinate/protocol';

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
