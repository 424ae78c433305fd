export {
  Scenario,
  Turn,
  ScriptedBlock,
  StopReason,
  text,
  toolUse,
  turn,
  completeTask,
  submitPlan,
  type CompleteTaskArgs,
  type PlanArgs,
} from './scenario.js';
export { FaultKind, FaultPlan, createFaultPicker } from './faults.js';
export { startScriptedServer, type ScriptedServer, type ScriptedServerOptions, type RecordedRequest } from './server.js';
export type { Route } from './script.js';
export { createFixtureRepo, createSampleRepo, isolatedGit, SAMPLE_FILES, type FixtureRepo } from './fixture-repo.js';
export { seededRandom } from './seeded-random.js';
export { demoScenario, DEMO_TASK_IDS } from './demo-scenario.js';
export { showcaseScenario, SHOWCASE_TASK_IDS, type ShowcaseOptions } from './showcase-scenario.js';
export { FixtureError, ScenarioError } from './errors.js';
export { readScenarioFile } from './scenario-file.js';
export {
  createVerifyFixture,
  VERIFY_CHECK,
  VERIFY_CHECK_SHOWN_FAIL,
  VERIFY_CHECK_SHOWN_PASS,
  VERIFY_LONG_CHECK,
  VERIFY_STDERR_CHECK,
  VERIFY_TRUNCATION_NOTE,
} from './verify-fixture.js';
export { fixRoundScenario } from './fix-round-scenario.js';
