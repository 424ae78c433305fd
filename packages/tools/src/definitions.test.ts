import { describe, expect, it } from 'vitest';
import { CompleteTaskInput } from './schemas.js';
import { toolDefinitionsFor } from './definitions.js';

describe('tool definitions', () => {
  it('offer each role exactly its tools, with complete_task always last', () => {
    expect(toolDefinitionsFor('research').map((d) => d.name)).toEqual([
      'read_file',
      'list_files',
      'search_files',
      'scratchpad_read',
      'scratchpad_write',
      'memory_search',
      'memory_propose',
      'complete_task',
    ]);
    expect(toolDefinitionsFor('implement').map((d) => d.name)).toContain('edit_file');
    expect(toolDefinitionsFor('verify').map((d) => d.name)).toEqual(expect.arrayContaining(['run_command']));
    expect(toolDefinitionsFor('verify').map((d) => d.name)).not.toContain('write_file');
    expect(toolDefinitionsFor('implement', { tools: { deny: ['run_command'] } }).map((d) => d.name)).not.toContain('run_command');
  });

  it('describe inputs as JSON Schema objects with the contract field names', () => {
    const byName = Object.fromEntries(toolDefinitionsFor('implement').map((d) => [d.name, d]));
    expect(byName.edit_file!.input_schema).toMatchObject({
      type: 'object',
      required: ['path', 'old_string', 'new_string'],
      properties: { replace_all: { type: 'boolean' } },
    });
    expect(Object.keys(byName.read_file!.input_schema.properties ?? {})).toEqual(['path', 'offset', 'limit']);
    expect(Object.keys(byName.run_command!.input_schema.properties ?? {})).toEqual(['command', 'timeout_ms']);
    expect(byName.complete_task!.input_schema.required).toEqual(['status', 'summary']);
    expect(byName.read_file!.input_schema).not.toHaveProperty('$schema');
    for (const definition of Object.values(byName)) expect(definition.description.length).toBeGreaterThan(20);
  });

  it('exports the complete_task input for the agent loop', () => {
    expect(CompleteTaskInput.safeParse({ status: 'succeeded', summary: 'done', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'ok' }] }).success).toBe(true);
    expect(CompleteTaskInput.safeParse({ status: 'maybe', summary: 'done' }).success).toBe(false);
  });
});
