import { EventEmitter } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { Command, Option } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OptionError } from '../config/index.js';
import { defineFlags, flag, FlagOption } from './flags.js';
import { watchInterrupts, type Interrupts } from './interrupts.js';
import { createProgram } from './program.js';

let interrupts: Interrupts | undefined;
afterEach(() => interrupts?.dispose());

/** The real `coordinate` program and every command under it, with the path that names each. */
function commands(): { path: string; command: Command }[] {
  interrupts = watchInterrupts(new EventEmitter(), () => undefined, () => undefined);
  const context = { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: process.cwd(), interrupts, version: '0.0.0' };
  const walk = (command: Command, path: string): { path: string; command: Command }[] => [
    { path, command },
    ...command.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`)),
  ];
  return walk(createProgram(context, () => undefined), 'coordinate');
}

/** commander's own `--version` is the only option no command reads. */
const ownOptions = (command: Command): readonly Option[] => command.options.filter((option) => option.long !== '--version');

describe('command-line flags', () => {
  it('are each declared once: every option commander knows is in the table its command reads through', () => {
    const seen: string[] = [];
    for (const { path, command } of commands()) {
      const options = ownOptions(command);
      if (options.length === 0) continue;
      const undeclared = options.filter((option) => !(option instanceof FlagOption)).map((option) => `${path} ${option.flags}`);
      expect(undeclared).toEqual([]);
      const tables = new Set(options.map((option) => (option as FlagOption).declaredBy));
      expect(tables.size, `${path} reads its flags through one table`).toBe(1);
      const [flags] = tables;
      // both ways: nothing in the schema that commander does not declare, nothing declared that the schema leaves out
      expect(Object.keys(flags!.schema.shape)).toEqual(options.map((option) => option.attributeName()));
      seen.push(...options.map((option) => `${path} ${option.long}`));
    }
    expect(seen).toEqual(expect.arrayContaining(['coordinate run --port', 'coordinate resume --no-sandbox', 'coordinate plan --output', 'coordinate worker --url', 'coordinate memory search --budget', 'coordinate watch log --last']));
  });

  it('refuse a value of the wrong kind by the flag as typed, for every flag of every command', () => {
    const refused: string[] = [];
    for (const { path, command } of commands()) {
      const options = ownOptions(command) as FlagOption[];
      // what commander hands over before any flag is given: the defaults, and some text for a flag that must be given
      const given = { ...Object.fromEntries(options.filter((option) => option.mandatory).map((option) => [option.attributeName(), 'x'])), ...command.opts() };
      for (const option of options) {
        // commander hands over text for a flag that takes a value and true/false for a switch; anything else is refused
        const wrong = option.required || option.optional ? 42 : 'yes';
        let error: unknown;
        try {
          option.declaredBy.read({ ...given, [option.attributeName()]: wrong });
        } catch (caught) {
          error = caught;
        }
        expect(error, `${path} ${option.long}`).toBeInstanceOf(OptionError);
        expect((error as OptionError).message.startsWith(`${option.long}: `), (error as OptionError).message).toBe(true);
        refused.push(`${path} ${option.long}`);
      }
    }
    expect(refused).toContain('coordinate worker --no-sandbox');
  });

  it('name the flag in a refused value, as the person typed it', () => {
    const flags = defineFlags({
      port: flag('--port <n>', 'the port', { schema: z.string().regex(/^\d+$/, 'must be a number').optional() }),
      sandbox: flag('--no-sandbox', 'outside the sandbox'),
      maxCost: flag('--max-cost <usd>', 'the budget'),
    });
    expect(() => flags.read({ port: 'abc' })).toThrow('--port: must be a number');
    expect(() => flags.read({ sandbox: 'no' })).toThrow(/^--no-sandbox: /);
    expect(() => flags.read({ maxCost: 1 })).toThrow(/^--max-cost: /);
    expect(flags.read({ port: '8080', sandbox: false })).toEqual({ port: '8080', sandbox: false });
  });

  it('refuse a table whose key is not the name commander gives the flag', () => {
    expect(() => defineFlags({ cost: flag('--max-cost <usd>', 'the budget') })).toThrow('--max-cost <usd> is read as "maxCost", not "cost"');
  });
});
