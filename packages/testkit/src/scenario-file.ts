import { formatZodError } from '@coordinate/protocol';
import { readFile } from 'node:fs/promises';
import { ScenarioError } from './errors.js';
import { Scenario } from './scenario.js';

/** A scenario kept in a JSON file, validated, with an error that names the file and the bad field. */
export async function readScenarioFile(file: string): Promise<Scenario> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError('scenario_unreadable', `cannot read scenario ${file}: ${(error as Error).message}`, { file });
  }
  const parsed = Scenario.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ScenarioError('scenario_invalid', `scenario ${file} is not valid: ${formatZodError(parsed.error)}`, { file });
}
