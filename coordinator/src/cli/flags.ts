import { Option, type Command } from 'commander';
import { z } from 'zod';
import { zodProblems } from '@coordinate/protocol';
import { OptionError } from '../config/index.js';

/** Whether commander's flags string takes a value: `--port <n>`, `--dir [dir]`. */
type TakesValue<F extends string> = F extends `${string}<${string}>${string}` | `${string}[${string}]${string}` ? true : false;

/** A flag's schema when none is given: its text, or a switch (false with `--no-…`); absent when not given. */
type PlainSchema<F extends string> = TakesValue<F> extends true ? z.ZodOptional<z.ZodString> : z.ZodOptional<z.ZodBoolean>;

/** One command-line flag, written once: what commander declares and `--help` shows, and the schema its value is read through. */
export interface FlagSpec<S = z.ZodType> {
  /** Commander's flags string: `--port <n>`, `-y, --yes`, `--no-sandbox`. */
  readonly flags: string;
  /** The line `--help` shows. */
  readonly description: string;
  /** What a given value must be; its output type is the flag's type in the command. */
  readonly schema: S;
  /** The value when the flag is not given, shown by `--help`; the schema then need not allow it to be absent. */
  readonly defaultValue?: string;
  /** The command line is refused without it. */
  readonly mandatory?: boolean;
  /** It may be given more than once; its values come as a list. */
  readonly repeatable?: boolean;
}

/**
 * A flag. Without a schema, one that takes a value (`--dir <dir>`) reads as an optional string and
 * one that does not (`--json`, `--no-sandbox`) as an optional boolean.
 */
export function flag<F extends string>(flags: F, description: string): FlagSpec<PlainSchema<F>>;
export function flag<S extends z.ZodType>(flags: string, description: string, extras: Omit<FlagSpec<S>, 'flags' | 'description'>): FlagSpec<S>;
export function flag(flags: string, description: string, extras?: Omit<FlagSpec, 'flags' | 'description'>): FlagSpec {
  const option = new Option(flags);
  return { flags, description, ...extras, schema: extras?.schema ?? (option.required || option.optional ? z.string().optional() : z.boolean().optional()) };
}

/** The option commander holds for a flag; it keeps the flags it was declared from, so what commander knows can be checked against what is read. */
export class FlagOption extends Option {
  constructor(
    spec: FlagSpec,
    readonly declaredBy: Flags<FlagTable>,
  ) {
    super(spec.flags, spec.description);
    if (spec.defaultValue !== undefined) this.default(spec.defaultValue);
    if (spec.mandatory) this.makeOptionMandatory();
    if (spec.repeatable) this.argParser((value: string, previous: string[] = []) => [...previous, value]);
  }
}

type FlagTable = Record<string, FlagSpec>;
type FlagShape<T extends FlagTable> = { -readonly [K in keyof T]: T[K]['schema'] };

/** A command's flags: declared on the command from one table, and read back through the schema made from the same table. */
export interface Flags<T extends FlagTable> {
  /** Each key is the flag's name as commander hands it over (`--max-cost` → `maxCost`). */
  readonly table: T;
  readonly schema: z.ZodObject<FlagShape<T>>;
  /** Declares every flag on the command in the table's order; those in `hidden` are accepted but left out of `--help`. */
  declare(command: Command, hidden?: readonly (keyof T & string)[]): Command;
  /** Commander's option bag as typed values; an OptionError naming the flag (`--port: must be …`) when one is not valid. */
  read(values: unknown): z.infer<z.ZodObject<FlagShape<T>>>;
}

/** Builds a command's flags from its table; a key that is not its flag's name is a programming error, thrown at once. */
export function defineFlags<T extends FlagTable>(table: T): Flags<T> {
  const longName = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) {
    const option = new Option(spec.flags);
    if (option.attributeName() !== key) throw new Error(`flag table: ${spec.flags} is read as "${option.attributeName()}", not "${key}"`);
    longName.set(key, option.long ?? key);
  }
  const schema = z.object(Object.fromEntries(Object.entries(table).map(([key, spec]) => [key, spec.schema])) as FlagShape<T>);
  const flags: Flags<T> = {
    table,
    schema,
    declare(command, hidden = []) {
      for (const [key, spec] of Object.entries(table)) {
        const option = new FlagOption(spec, flags);
        command.addOption(hidden.includes(key) ? option.hideHelp() : option);
      }
      return command;
    },
    read(values) {
      const parsed = schema.safeParse(values);
      if (parsed.success) return parsed.data;
      const [problem] = zodProblems(parsed.error);
      const key = String(problem?.path[0] ?? '');
      throw new OptionError(longName.get(key) ?? '--option', problem?.message ?? 'is not valid');
    },
  };
  return flags;
}
