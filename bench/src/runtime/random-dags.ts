import type { TaskSpec } from '@coordinate/protocol';

export interface RandomDag {
  tasks: Pick<TaskSpec, 'id' | 'dependsOn'>[];
  duration: Map<string, number>;
}

/** mulberry32: a tiny seeded generator, so every run of the benchmark sees the same graphs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
