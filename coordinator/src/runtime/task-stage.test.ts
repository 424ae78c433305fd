import { describe, expect, it } from 'vitest';
import { rebuildError } from '@coordinate/protocol';
import { AttemptStages, StageTransitionError } from './task-stage.js';

describe('the stages of an attempt', () => {
  it('go queued → assigned → accepted → running → result → merged → recorded', () => {
    const stages = new AttemptStages('fix', 1);
    for (const stage of ['assigned', 'accepted', 'running', 'result', 'merged', 'recorded'] as const) {
      stages.move(stage);
      expect(stages.stage).toBe(stage);
    }
  });

  it('never go back, nor skip the result, and say which move was refused as a typed error', () => {
    const stages = new AttemptStages('fix', 2);
    stages.move('assigned');
    expect(() => stages.move('queued')).toThrow(StageTransitionError);
    expect(() => stages.move('merged')).toThrow('task fix attempt 2 cannot move from assigned to merged');
    const refused = (() => {
      try {
        stages.move('recorded');
      } catch (error) {
        return error as InstanceType<typeof StageTransitionError>;
      }
      return undefined;
    })();
    // It crosses a process boundary as data and comes back as its class.
    const rebuilt = rebuildError(refused!.toData());
    expect(StageTransitionError.is(rebuilt)).toBe(true);
    expect(rebuilt.data).toEqual({ taskId: 'fix', attempt: 2, from: 'assigned', to: 'recorded' });
  });

  it('take a result that arrives before its acceptance through the stages between, once', () => {
    const stages = new AttemptStages('fix', 1);
    stages.move('assigned');
    stages.advanceTo('result');
    expect(stages.stage).toBe('result');
    expect(() => stages.move('abandoned')).toThrow(StageTransitionError);
  });
});
