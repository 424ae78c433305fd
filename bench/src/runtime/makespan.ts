import { seededRandom } from '@coordinate/testkit';
import { randomDag } from './random-dags.js';
import { makespanLowerBound, simulateMakespan } from './simulate.js';

export interface MakespanRow {
  seed: number;
  tasks: number;
  cp: number;
  fifo: number;
}

/** Makespan over the lower bound for seeded random DAGs, under critical-path and FIFO ordering. */
export function measureMakespans(dags: number, workers: number): MakespanRow[] {
  const rows: MakespanRow[] = [];
  for (let seed = 1; seed <= dags; seed++) {
    const random = seededRandom(seed);
    const size = 50 + Math.floor(random() * 451);
    const { tasks, duration } = randomDag(size, random);
    const bound = makespanLowerBound(tasks, duration, workers);
    rows.push({
      seed,
      tasks: size,
      cp: simulateMakespan(tasks, duration, workers, 'critical-path') / bound,
      fifo: simulateMakespan(tasks, duration, workers, 'fifo') / bound,
    });
  }
  return rows;
}
