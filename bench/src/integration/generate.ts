import type { TaskSpec } from '@coordinate/protocol';
import { seededRandom } from '@coordinate/testkit';

/** One line a task changes: its intent, which must end on the run branch or be named. */
export interface Edit {
  file: string;
  line: number;
}

/** Tasks per file of the generated repository: about one in three tasks meets another on a file. */
const FILE_SHARE = Number(process.env.BENCH_TASKS_PER_FILE ?? 1);

export interface BenchTask {
  spec: TaskSpec;
  edits: Edit[];
  /** Whether the plan declares the task's write set in `files`. */
  declared: boolean;
  /** Time units the task works after its edits, before its change is ready to merge (its scripted delay). */
  duration: number;
}

export interface BenchPlan {
  seed: number;
  files: number;
  linesPerFile: number;
  tasks: BenchTask[];
}

/**
 * A seeded plan over a generated repository: 8–40 implementation tasks, each changing one to
 * three lines in one or two of a few files (so write sets overlap), a sparse dependency graph,
 * and about two in three tasks declaring their write set. No two tasks change the same line, so
 * every intent can survive; neighbouring lines make the merges git would refuse.
 */
export function generatePlan(seed: number): BenchPlan {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const count = 8 + pick(33);
  const files = Math.max(4, Math.round(count / FILE_SHARE));
  const linesPerFile = 24;
  const free = new Map(Array.from({ length: files }, (_, f) => [`src/file${f}.js`, Array.from({ length: linesPerFile }, (_, i) => i)]));
  const tasks: BenchTask[] = [];
  for (let i = 0; i < count; i++) {
    const id = `t${String(i + 1).padStart(2, '0')}`;
    const chosen = [...new Set(Array.from({ length: 1 + pick(2) }, () => `src/file${pick(files)}.js`))];
    const edits = chosen.flatMap((file) => {
      const lines = free.get(file)!;
      return Array.from({ length: Math.min(lines.length, 1 + pick(2)) }, () => ({ file, line: lines.splice(pick(lines.length), 1)[0]! }));
    });
    const dependsOn = i > 0 && random() < 0.35 ? [tasks[pick(i)]!.spec.id] : [];
    const declared = random() < 0.65;
    const writes = [...new Set(edits.map((edit) => edit.file))];
    tasks.push({
      spec: { id, title: `Change ${writes.join(', ')}`, role: 'implement', instructions: 'Apply the scripted change.', dependsOn, ...(declared ? { files: writes } : {}) },
      edits,
      declared,
      duration: 2 + pick(7),
    });
  }
  return { seed, files, linesPerFile, tasks };
}
