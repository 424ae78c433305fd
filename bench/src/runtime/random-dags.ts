import type { TaskSpec } from '@coordinate/protocol';

export interface RandomDag {
  tasks: Pick<TaskSpec, 'id' | 'dependsOn'>[];
  duration: Map<string, number>;
}


/**
 * A random DAG of `size` tasks: each task depends on up to three earlier tasks drawn from a
 * window behind it (so graphs have both long chains and wide layers), with durations from a
 * long-tailed distribution, as real tasks have.
 */
export function randomDag(size: number, random: () => number): RandomDag {
  const tasks: RandomDag['tasks'] = [];
  const duration = new Map<string, number>();
  const window = Math.max(4, Math.floor(size * (0.05 + random() * 0.3)));
  for (let i = 0; i < size; i++) {
    const id = `t${i}`;
    const deps = new Set<string>();
    const count = i === 0 ? 0 : Math.floor(random() * 4);
    for (let d = 0; d < count; d++) deps.add(`t${Math.max(0, i - 1 - Math.floor(random() * window))}`);
    tasks.push({ id, dependsOn: [...deps] });
    duration.set(id, Math.round(10 * Math.exp(random() * 3)));
  }
  return { tasks, duration };
}
