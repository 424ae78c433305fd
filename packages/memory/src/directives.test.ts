import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileDirective } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('directive compilation', () => {
  it.each([
    ['Never edit src/generated/** by hand.', { paths: ['src/generated/**'] }],
    ["Don't touch `packages/api/client.ts`; it is generated.", { paths: ['packages/api/client.ts'] }],
    ['Never modify the vendor/ folder.', { paths: ['vendor/**'] }],
    ['Never run `npm publish` from a laptop.', { commands: ['npm publish*'] }],
    ['Do not run git push --force on main.', { commands: ['git push --force*'] }],
  ])('compiles "%s"', (text, expected) => {
    expect(compileDirective('d1', text)).toEqual({ id: 'd1', text, ...expected });
  });

  it.each(['Always write tests first.', 'Never use `any` in TypeScript.', 'Never run anything slow in CI.'])(
    'leaves "%s" as advice, not a rule',
    (text) => {
      expect(compileDirective('d1', text)).toBeUndefined();
    },
  );

  it('hands the coordinator a directive whose glob blocks an edit, and drops it once forgotten', () => {
    const store = memory.open();
    const { id } = store.admit({ kind: 'convention', text: 'Never edit src/generated/** by hand; run `npm run codegen` instead.' });
    store.admit({ kind: 'fact', text: 'The generated client is rebuilt by codegen.' });
    const directives = store.compiledDirectives();
    expect(directives).toEqual([{ id, text: 'Never edit src/generated/** by hand; run `npm run codegen` instead.', paths: ['src/generated/**'] }]);
    const blocked = (file: string) => directives.some((d) => picomatch.isMatch(file, d.paths ?? [], { dot: true }));
    expect(blocked('src/generated/client.ts')).toBe(true);
    expect(blocked('src/client.ts')).toBe(false);
    store.forget(id);
    expect(store.compiledDirectives()).toEqual([]);
  });
});
