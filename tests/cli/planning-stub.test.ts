import { afterEach, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, runIds, sampleRepo, scriptedServer } from './helpers.js';

afterEach(cleanup);

it('a planning attempt that produced no plan is listed as unplanned, never resumed, and show suggests no plan file', async () => {
  const repo = await sampleRepo();
  // a planner that never calls submit_plan: planning fails after its repairs
  const server = await scriptedServer({});
  const env = cliEnv(server);
  const planning = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env });
  expect(planning.exitCode).toBe(3);
  const [stub] = await runIds(repo, env);
  expect(stub).toBeDefined();

  const resume = await coordinate(['resume'], { cwd: repo, env });
  expect(resume.exitCode).toBe(2);
  expect(resume.stderr).toContain('there is no unfinished run to resume');
  const runs = await coordinate(['runs'], { cwd: repo, env });
  expect(runs.stdout).toMatch(new RegExp(`${stub}\\s+unplanned`));
  const show = await coordinate(['show', stub!], { cwd: repo, env });
  expect(show.stdout).toContain('nothing ran and there is nothing to resume');
  expect(show.stdout).not.toContain('coordinate run ');
  expect(server.requests.filter((r) => r.route === 'task')).toHaveLength(0);
});
