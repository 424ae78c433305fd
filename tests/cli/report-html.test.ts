import { access, chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { demoScenario } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, runDir, runIds, sampleRepo, scriptedServer, tempDir, waitFor } from './helpers.js';

/** Debian's chromium package; .ci/run installs it. */
const CHROMIUM = '/usr/bin/chromium';

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(cleanup);

it('writes report.html that draws the task graph and the worker timeline in Chromium, and show --open opens it', async () => {
  const repo = await sampleRepo();
  const server = await scriptedServer(demoScenario());
  const env = cliEnv(server);
  const result = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env });
  expect(result.exitCode).toBe(0);
  const [runId] = await runIds(repo, env);
  const file = join(runDir(repo, runId!), 'report.html');
  expect(result.stdout).toContain(`Report: ${file}`);
  // the plan is a chain of three: one worker is all it can ever use
  expect(result.stdout).toContain('with 1 worker;');

  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // nothing may be fetched: the file is the whole report
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { timeout: 30_000 });
  expect(await page.locator('svg.graph g.node').count()).toBe(3);
  expect(await page.locator('svg.graph g.node.critical').count()).toBe(3);
  expect(await page.locator('svg.graph path.edge.critical').count()).toBe(2);
  expect(await page.locator('svg.timeline g.bar').count()).toBe(3);
  const bar = await page.locator('svg.timeline g.bar rect').first().boundingBox();
  expect(bar!.width).toBeGreaterThan(2);
  expect(await page.locator('text=$ npm test').count()).toBeGreaterThan(0);
  expect(await page.locator('pre').first().textContent()).toContain('pass');
  const shot = join(await tempDir(), 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  expect((await readFile(shot)).length).toBeGreaterThan(10_000);
  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(file).href]);
  await page.close();

  // a BROWSER that records what it was asked to open stands in for the person's browser
  const tools = await tempDir();
  const opened = join(tools, 'opened');
  const browserScript = join(tools, 'browser.sh');
  await writeFile(browserScript, `#!/bin/sh\necho "$1" > ${opened}\n`);
  await chmod(browserScript, 0o755);
  const show = await coordinate(['show', runId!.slice(0, 15), '--open'], { cwd: repo, env: { ...env, BROWSER: browserScript } });
  expect(show.exitCode).toBe(0);
  await waitFor(() => access(opened).then(() => true, () => false), 'the browser to be started', 10_000);
  expect((await readFile(opened, 'utf8')).trim()).toContain(file);
}, 120_000);
