import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubAnnotations, renderJUnit, renderReportMarkdown, renderReportTerminal, RunReport, runReportJsonSchema, writeReports } from './index.js';
import { sampleReport } from './report.test-helper.js';
import { parseXml } from './xml-check.test-helper.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes report.md, a schema-valid report.json, JUnit XML and appends to the GitHub step summary', async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '# Earlier step\n');
    const paths = { reportMd: join(dir, 'run', 'report.md'), reportJson: join(dir, 'run', 'report.json') };
    const written = await writeReports(sampleReport(), paths, { junitFile: join(dir, 'out', 'junit.xml'), jsonFile: join(dir, 'out', 'report.json'), githubStepSummary: summary });
    expect(written).toHaveLength(5);

    const json = JSON.parse(await readFile(paths.reportJson, 'utf8'));
    expect(RunReport.parse(json)).toEqual(sampleReport());
    expect(json.schemaVersion).toBe(1);
    expect(await readFile(join(dir, 'out', 'report.json'), 'utf8')).toBe(await readFile(paths.reportJson, 'utf8'));
    expect(await readFile(paths.reportMd, 'utf8')).toContain('# coordinate run r-abc123: a task or a verification failed');
    const stepSummary = await readFile(summary, 'utf8');
    expect(stepSummary.startsWith('# Earlier step\n# coordinate run r-abc123')).toBe(true);
    expect(parseXml(await readFile(join(dir, 'out', 'junit.xml'), 'utf8')).name).toBe('testsuites');
  });

  it('a run with --no-sandbox says so in report.md, report.json and the terminal summary; a sandboxed one does not', async () => {
    const paths = { reportMd: join(dir, 'report.md'), reportJson: join(dir, 'report.json') };
    await writeReports({ ...sampleReport(), sandboxed: false }, paths);
    expect(JSON.parse(await readFile(paths.reportJson, 'utf8')).sandboxed).toBe(false);
    expect(await readFile(paths.reportMd, 'utf8')).toContain('Run with --no-sandbox: task commands ran outside the OS sandbox');
    expect(renderReportTerminal({ ...sampleReport(), sandboxed: false }, { color: false })).toContain('Run with --no-sandbox');
    expect(renderReportMarkdown(sampleReport())).not.toContain('--no-sandbox');
    expect(renderReportTerminal(sampleReport(), { color: false })).not.toContain('--no-sandbox');
  });

  it('refuses a report that does not match the schema', async () => {
    const bad = { ...sampleReport(), schemaVersion: 2 } as unknown as RunReport;
    await expect(writeReports(bad, { reportMd: join(dir, 'a.md'), reportJson: join(dir, 'a.json') })).rejects.toThrow(/schemaVersion/);
  });
});

describe('renderJUnit', () => {
  it('is well-formed XML in the shape of junit-10.xsd, and a failed verification carries what really ran, then the claims', () => {
    const root = parseXml(renderJUnit(sampleReport()));
    // junit-10.xsd allows no `skipped` on <testsuites>: CI that validates the file would reject it.
    expect(Object.keys(root.attributes).sort()).toEqual(['errors', 'failures', 'name', 'tests', 'time']);
    const suite = root.children[0]!;
    expect(suite.attributes).toMatchObject({ tests: '3', failures: '1', skipped: '1', time: '245.000' });
    const cases = suite.children;
    expect(cases.map((c) => c.attributes.name)).toEqual(['limit: Add the "limiter" & <wire> it', 'check: Run the login tests', 'docs: Document the limit']);
    expect(cases[0]!.children.map((c) => c.name)).toEqual(['system-out']);
    const failure = cases[1]!.children.find((c) => c.name === 'failure')!;
    expect(failure.attributes.type).toBe('verification_failed');
    expect(failure.attributes.message).toBe('npm test -- login exited 1: 50%, of: tries\nsecond line');
    expect(failure.text).toContain('ran (from the journal): $ npm test -- login → exit 1 (`npm test -- login` last exited 1)\nexit code 1\nFAIL');
    expect(failure.text).toContain('FAIL login.test.ts');
    expect(failure.text).toContain('expected 429 < got 200 & "ok" ]]> \ufffd\ufffd');
    expect(failure.text).toContain('claimed: $ npm run lint → exit 0 (not verified: `npm run lint` is cited but never ran in this task)');
    expect(failure.text.indexOf('ran (from the journal)')).toBeLessThan(failure.text.indexOf('claimed:'));
    expect(failure.text).not.toContain('\x1b');
    expect(cases[2]!.children.map((c) => [c.name, c.attributes.message])).toEqual([['skipped', 'a dependency failed']]);
  });

  it('stays well-formed with lone surrogates and control characters in every field', () => {
    const hostile = 'a\ud800b\udc00c\x0b\x1f<&>"\'\r\n\t';
    const report = sampleReport();
    report.runId = hostile;
    report.tasks[0]!.title = hostile;
    report.tasks[0]!.summary = hostile;
    report.tasks[1]!.failureReason = hostile;
    expect(() => parseXml(renderJUnit(report))).not.toThrow();
  });

  it('is checked by a reader that rejects what is not well-formed', () => {
    for (const broken of ['<a><b></a>', '<a>&</a>', '<a>\x01</a>', '<a x="1" x="2"/>', '<a>', '<a/><b/>']) {
      expect(() => parseXml(broken), broken).toThrow();
    }
  });
});

describe('githubAnnotations', () => {
  it('emits one ::error per failed verification, escaped by GitHub\'s rules', () => {
    const lines = githubAnnotations(sampleReport());
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatch(/^::error title=Verification failed%3A check%3A Run the login tests::/);
    expect(line).toContain('::npm test -- login exited 1: 50%25, of: tries%0Asecond line');
    expect(line).toContain('ran (from the journal): $ npm test -- login → exit 1');
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('emits nothing when every verification passed', () => {
    const report = sampleReport();
    report.tasks = report.tasks.filter((t) => t.role !== 'verify');
    expect(githubAnnotations(report)).toEqual([]);
  });
});

describe('renderReportMarkdown', () => {
  it('has the outcome table, evidence in fences that excerpts cannot break, the diffstat, cost and how to apply', () => {
    const md = renderReportMarkdown(sampleReport({ budget: { name: 'maxCostUsd', limit: 0.15 } }));
    expect(md).toContain('| check: Run the login tests | verify | ❌ failed | 1 |');
    expect(md).toContain('| limit: Add the "limiter" & &lt;wire> it | implement | ✅ succeeded | 2 |');
    expect(md).toContain('````\nFAIL');
    expect(md).toContain('**What ran** (from the journal):\n\n- `npm test -- login` ❌ exit 1: `npm test -- login` last exited 1');
    expect(md).toContain('**What the verifier claimed:**');
    expect(md).toContain('- claimed: $ npm run lint → exit 0 (not verified: `npm run lint` is cited but never ran in this task)');
    expect(md).toContain('2 files changed, 43 insertions(+), 1 deletion(-)');
    expect(md).toContain('**Stopped by the budget `maxCostUsd`** (limit 0.15)');
    expect(md).toContain('- Duration: 4m05s');
    expect(md).toContain('cost $0.15');
    expect(md).toContain('To apply: `git merge coordinate/r-abc123` or `coordinate show r-abc123 --apply`');
  });
});

describe('renderReportTerminal', () => {
  it('summarises each task and colors only when asked', () => {
    const plain = renderReportTerminal(sampleReport(), { color: false });
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('✗ check  [verify]    Run the login tests');
    expect(plain).toContain('      ran: $ npm test -- login → exit 1 (`npm test -- login` last exited 1)');
    expect(plain).toContain('        expected 429 < got 200');
    expect(plain).toContain('      claimed: $ npm run lint → exit 0 (not verified');
    expect(plain).toContain('To apply: git merge coordinate/r-abc123');
    expect(renderReportTerminal(sampleReport(), { color: true })).toContain('\x1b[31m');
  });
});

describe('report.json schema document', () => {
  it('docs/report.schema.json is the schema the code validates with', async () => {
    const documented = JSON.parse(await readFile(new URL('../../../docs/report.schema.json', import.meta.url), 'utf8'));
    expect(documented).toEqual(runReportJsonSchema());
  });
});
