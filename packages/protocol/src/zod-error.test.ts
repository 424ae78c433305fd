import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatZodError, zodProblems } from './zod-error.js';

/** zod's own wording, which no message for a person may show. */
const ZOD_WORDING = /Invalid input|Invalid option|Too small|Too big|Unrecognized key|expected|received|Invalid string|Invalid discriminator/;

function problemsOf(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('the value was expected to fail');
  const line = formatZodError(parsed.error);
  expect(line).not.toMatch(ZOD_WORDING);
  return line;
}

const Plan = z.object({
  tasks: z.array(z.strictObject({ id: z.string().min(1).max(8), role: z.enum(['research', 'implement', 'verify']), commands: z.array(z.string()).optional() })),
});

describe('zod errors in plain words', () => {
  it('names a wrong kind of value by the field and both kinds (invalid_type)', () => {
    expect(problemsOf(z.object({ commands: z.object({ test: z.string() }) }), { commands: { test: 42 } })).toBe('`commands.test`: must be text, not a number (42)');
  });

  it('says a required field is missing rather than that it received undefined', () => {
    expect(problemsOf(z.object({ goal: z.string() }), {})).toBe('`goal`: is missing');
  });

  it('lists the choices and the value given (invalid_value from an enum)', () => {
    const value = { tasks: [{ id: 'a', role: 'research' }, { id: 'b', role: 'verify' }, { id: 'c', role: 'build' }] };
    expect(problemsOf(Plan, value)).toBe('`tasks[2].role`: must be one of research, implement, verify; got "build"');
  });

  it('says what a literal must be', () => {
    expect(problemsOf(z.object({ v: z.literal(1) }), { v: 2 })).toBe('`v`: must be 1; got 2');
  });

  it('puts sizes in characters, items and numbers (too_small, too_big)', () => {
    expect(problemsOf(z.object({ id: z.string().min(1) }), { id: '' })).toBe('`id`: must not be empty');
    expect(problemsOf(z.object({ id: z.string().max(3) }), { id: 'abcdef' })).toBe('`id`: must have at most 3 characters (it has 6)');
    expect(problemsOf(z.object({ files: z.array(z.string()).min(2) }), { files: ['a'] })).toBe('`files`: must have at least 2 items (it has 1)');
    expect(problemsOf(z.object({ workers: z.number().int().positive() }), { workers: 0 })).toBe('`workers`: must be more than 0; got 0');
    expect(problemsOf(z.object({ workers: z.number().max(64) }), { workers: 100 })).toBe('`workers`: must be at most 64; got 100');
    expect(problemsOf(z.object({ workers: z.number().int() }), { workers: 1.5 })).toBe('`workers`: must be a whole number; got 1.5');
  });

  it('names the format a text must have (invalid_format)', () => {
    expect(problemsOf(z.object({ url: z.url() }), { url: 'nope' })).toBe('`url`: must be a URL such as https://example.com; got "nope"');
    expect(problemsOf(z.object({ port: z.string().regex(/^\d+$/) }), { port: 'x' })).toBe('`port`: must match the pattern /^\\d+$/; got "x"');
  });

  it('names an unknown key and the keys that are known (unrecognized_keys)', () => {
    expect(problemsOf(z.object({ permissions: z.strictObject({ tools: z.string().optional(), commands: z.string().optional() }) }), { permissions: { tols: 'x' } })).toBe(
      '`permissions`: unknown key "tols" (known keys: tools, commands)',
    );
  });

  it('names the kinds a union takes when the value is none of them (invalid_union)', () => {
    expect(problemsOf(z.object({ files: z.union([z.string(), z.array(z.string())]) }), { files: 3 })).toBe('`files`: must be text or a list, not a number (3)');
  });

  it('explains a union by the branch the value came closest to', () => {
    const Step = z.union([z.object({ run: z.string() }), z.object({ write: z.string(), content: z.string() })]);
    expect(problemsOf(z.object({ steps: z.array(Step) }), { steps: [{ write: 'a.txt', content: 7 }] })).toBe('`steps[0].content`: must be text, not a number (7)');
  });

  it('names the kinds a discriminated union knows', () => {
    const Event = z.discriminatedUnion('type', [z.object({ type: z.literal('start') }), z.object({ type: z.literal('stop') })]);
    expect(problemsOf(z.object({ event: Event }), { event: { type: 'pause' } })).toBe('`event.type`: must be one of start, stop; got "pause"');
  });

  it('keeps a message the schema states itself (custom)', () => {
    const Ids = z.array(z.string()).refine((ids) => new Set(ids).size === ids.length, 'task ids must be unique');
    expect(problemsOf(z.object({ ids: Ids }), { ids: ['a', 'a'] })).toBe('`ids`: task ids must be unique');
    expect(problemsOf(z.object({ port: z.string().min(1, 'give a port number') }), { port: '' })).toBe('`port`: give a port number');
  });

  it('words a refinement without a message plainly', () => {
    expect(problemsOf(z.object({ n: z.number().refine((n) => n % 2 === 0) }), { n: 3 })).toBe('`n`: is not valid');
  });

  it('explains a bad record key (invalid_key)', () => {
    expect(problemsOf(z.object({ pricing: z.record(z.string().min(1), z.number()) }), { pricing: { '': 1 } })).toBe('`pricing[""]`: is not an accepted key: must not be empty');
  });

  it('shows the first problems, says how many more, and puts a caller\'s key in front', () => {
    const parsed = z.array(z.number()).safeParse(['a', 'b', 'c']);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(formatZodError(parsed.error, { max: 2, at: ['settings', 'model'] })).toBe(
      '`settings.model[0]`: must be a number, not text ("a"); `settings.model[1]`: must be a number, not text ("b"); and 1 more',
    );
    expect(zodProblems(parsed.error).map((problem) => problem.path)).toEqual([[0], [1], [2]]);
  });

  it('words a problem at the root without a path', () => {
    expect(problemsOf(z.object({}), 'text')).toBe('must be an object, not text ("text")');
  });
});
