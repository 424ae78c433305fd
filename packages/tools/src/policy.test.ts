import { describe, expect, it } from 'vitest';
import { ToolPolicyError } from './errors.js';
import type { ToolPolicy } from '@coordinate/protocol';
import { checkPermission, parseToolPolicy } from './policy.js';
import { toolsFor } from './roles.js';

const reasonOf = (decision: ReturnType<typeof checkPermission>) => (decision.allowed ? undefined : decision.reason);

describe('role tiers', () => {
  it('gives research only observe and record tools', () => {
    expect(toolsFor('research')).toEqual([
      'read_file',
      'list_files',
      'search_files',
      'scratchpad_read',
      'scratchpad_write',
      'memory_search',
      'memory_propose',
      'complete_task',
    ]);
    expect(reasonOf(checkPermission('research', 'write_file', { path: 'a', content: '' }))).toMatch(/research role may not use write_file \(edit tier\)/);
    expect(reasonOf(checkPermission('research', 'run_command', { command: 'npm test' }))).toMatch(/may not use run_command/);
  });

  it('lets verify run commands but not edit files', () => {
    expect(checkPermission('verify', 'run_command', { command: 'bash scripts/check.sh' }).allowed).toBe(true);
    expect(reasonOf(checkPermission('verify', 'edit_file', { path: 'a' }))).toMatch(/verify role may not use edit_file/);
  });

  it('lets implement edit and run only allowlisted commands', () => {
    expect(checkPermission('implement', 'write_file', { path: 'src/a.ts', content: '' }).allowed).toBe(true);
    expect(checkPermission('implement', 'run_command', { command: 'npm test -- --run' }).allowed).toBe(true);
    expect(checkPermission('implement', 'run_command', { command: 'npx vitest run src && git diff --stat' }).allowed).toBe(true);
    expect(reasonOf(checkPermission('implement', 'run_command', { command: 'python3 exploit.py' }))).toMatch(
      /"python3 exploit.py" is not on this role's command allowlist/,
    );
  });

  it('judges a command line by its worst part', () => {
    expect(reasonOf(checkPermission('implement', 'run_command', { command: 'npm test; node -e "1"' }))).toMatch(/"node -e "1"" is not on/);
    expect(reasonOf(checkPermission('implement', 'run_command', { command: 'npm test $(python3 x.py)' }))).toMatch(/command substitution/);
    expect(reasonOf(checkPermission('implement', 'run_command', { command: 'cat src/a.ts > src/b.ts' }))).toMatch(/redirection \(> src\/b.ts\).*use write_file/);
    expect(checkPermission('implement', 'run_command', { command: 'npm test 2>&1' }).allowed).toBe(true);
  });

  it('keeps the default deny list for every role, naming the rule', () => {
    expect(reasonOf(checkPermission('verify', 'run_command', { command: 'npm test && git push origin main' }))).toMatch(
      /"git push origin main" matches "git push\*".*network/,
    );
    expect(reasonOf(checkPermission('verify', 'run_command', { command: 'echo $(curl -s http://x)' }))).toMatch(/curl/);
    expect(reasonOf(checkPermission('verify', 'run_command', { command: 'sudo rm -rf /' }))).toMatch(/"sudo \*".*no config can lift/);
  });

  it('lifts network commands only when the policy turns network on', () => {
    const policy: ToolPolicy = { network: true };
    expect(checkPermission('verify', 'run_command', { command: 'curl -sf http://localhost:3000' }, policy).allowed).toBe(true);
    expect(checkPermission('verify', 'run_command', { command: 'sudo ls' }, policy).allowed).toBe(false);
  });
});

describe('config rules', () => {
  it('adds allowed and denied command patterns', () => {
    const policy: ToolPolicy = { commands: { allow: ['./gradlew test*'], deny: ['npm run deploy*'] } };
    expect(checkPermission('implement', 'run_command', { command: './gradlew test --info' }, policy).allowed).toBe(true);
    expect(reasonOf(checkPermission('verify', 'run_command', { command: 'npm run deploy' }, policy))).toMatch(
      /matches "npm run deploy\*" in the project's commands.deny/,
    );
  });

  it('grants or removes single tools', () => {
    expect(checkPermission('research', 'run_command', { command: 'npm test' }, { tools: { allow: ['run_command'] } }).allowed).toBe(true);
    expect(checkPermission('research', 'run_command', { command: 'rm -rf build' }, { tools: { allow: ['run_command'] } }).allowed).toBe(false);
    expect(reasonOf(checkPermission('implement', 'write_file', { path: 'a' }, { tools: { deny: ['write_file'] } }))).toMatch(/tools.deny/);
    expect(checkPermission('implement', 'complete_task', {}, { tools: { deny: ['write_file'] } }).allowed).toBe(true);
  });

  it('enforces directives with their own text', () => {
    const policy: ToolPolicy = {
      directives: [
        { id: 'mem-7', text: 'Never edit generated code in src/generated/.', paths: ['src/generated/**'] },
        { id: 'mem-9', text: 'Never run `npm publish`.', commands: ['npm publish*'] },
      ],
      network: true,
    };
    expect(reasonOf(checkPermission('implement', 'edit_file', { path: './src/generated/api.ts' }, policy))).toBe(
      'editing "./src/generated/api.ts" breaks directive mem-7: Never edit generated code in src/generated/.',
    );
    expect(checkPermission('implement', 'edit_file', { path: 'src/api.ts' }, policy).allowed).toBe(true);
    expect(reasonOf(checkPermission('verify', 'run_command', { command: 'npm test && npm publish --dry-run' }, policy))).toMatch(
      /breaks directive mem-9: Never run `npm publish`./,
    );
  });

  it('refuses unknown tools', () => {
    expect(reasonOf(checkPermission('verify', 'delete_everything', {}))).toMatch(/no tool named "delete_everything"/);
  });

  it('rejects a misspelt or malformed policy, naming the field', () => {
    expect(() => parseToolPolicy({ comands: { allow: [] } })).toThrow(ToolPolicyError);
    expect(() => parseToolPolicy({ tools: { allow: ['write_files'] } })).toThrow(/tools.allow.0/);
    expect(() => parseToolPolicy({ tools: { deny: ['complete_task'] } })).toThrow(/tools.deny.0/);
    expect(parseToolPolicy(undefined)).toEqual({});
  });
});
