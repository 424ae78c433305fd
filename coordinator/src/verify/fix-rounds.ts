import { TaskSpec, type TaskResultBody } from '@coordinate/protocol';
import { FixRoundError } from './errors.js';
import type { VerdictCheck } from '@coordinate/tools';
import { REVERIFY_PREFIX, fixInstructions, reverifyInstructions } from './fix-instructions.js';

export interface FixRoundInput {
  /** The verify task that failed: the plan's own, or the re-verify of an earlier round. */
  failedVerify: TaskSpec;
  result: TaskResultBody;
  /** The implementation tasks the verification checked (the fix task depends on them, so they have succeeded). */
  implementTasks: readonly TaskSpec[];
  /** The round to plan, counting from 1. */
  round: number;
  /** From config; 0 turns fix rounds off. */
  maxRounds: number;
  /** The evidence check of the failed verification, quoted when its verdict was rejected. */
  check?: VerdictCheck;
}

const MAX_ID = 64;
const MAX_TITLE = 200;
const REVERIFY_TITLE = 'Re-verify: ';

/** The verify task as the plan had it, so round after round the ids and titles do not pile up suffixes. */
function originalVerify(failed: TaskSpec, round: number): Pick<TaskSpec, 'id' | 'title' | 'instructions'> {
  if (round === 1) return failed;
  const suffix = `-re${round - 1}`;
  return {
    id: failed.id.endsWith(suffix) ? failed.id.slice(0, -suffix.length) : failed.id,
    title: failed.title.startsWith(REVERIFY_TITLE) ? failed.title.slice(REVERIFY_TITLE.length) : failed.title,
    instructions: failed.instructions.replace(REVERIFY_PREFIX, ''),
  };
}

const withSuffix = (id: string, suffix: string) => `${id.slice(0, MAX_ID - suffix.length)}${suffix}`;

/**
 * Plans one fix round after a failed verification: an implement task `<verifyId>-fix<N>` told what
 * failed, and a re-verify `<verifyId>-re<N>` that runs after it. Undefined once `maxRounds` are used.
 * Fix tasks should branch from the run branch, where the work they fix was merged.
 */
export function planFixRound(input: FixRoundInput): { tasks: [TaskSpec, TaskSpec] } | undefined {
  const { failedVerify, result, implementTasks, round, maxRounds, check } = input;
  if (!Number.isInteger(round) || round < 1) throw new FixRoundError(`fix round must be a whole number from 1, got ${round}`, { round });
  if (!Number.isInteger(maxRounds) || maxRounds < 0) {
    throw new FixRoundError(`the maximum number of fix rounds must be a whole number from 0, got ${maxRounds}`, { maxRounds });
  }
  if (round > maxRounds) return undefined;

  const origin = originalVerify(failedVerify, round);
  const fixId = withSuffix(origin.id, `-fix${round}`);
  const files = [...new Set(implementTasks.flatMap((task) => task.files ?? []))].slice(0, 200);
  const fix = TaskSpec.parse({
    id: fixId,
    title: `Fix: ${origin.title}`.slice(0, MAX_TITLE),
    role: 'implement',
    instructions: fixInstructions({ verify: { ...failedVerify, ...origin }, result, check, implementTasks, round }),
    dependsOn: implementTasks.map((task) => task.id),
    ...(files.length > 0 ? { files } : {}),
    ...(failedVerify.acceptance ? { acceptance: failedVerify.acceptance } : {}),
    ...(failedVerify.commands ? { commands: failedVerify.commands } : {}),
  });
  const reverify = TaskSpec.parse({
    ...failedVerify,
    id: withSuffix(origin.id, `-re${round}`),
    title: `${REVERIFY_TITLE}${origin.title}`.slice(0, MAX_TITLE),
    instructions: reverifyInstructions(origin.instructions, round, fixId),
    dependsOn: [...new Set([...failedVerify.dependsOn, fixId])],
  });
  return { tasks: [fix, reverify] };
}
