import { fork, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./sim-workers.js', import.meta.url));

/** How much lower than the coordinator's the simulated fleet's CPU priority is (nice steps, 19 at most). */
const FLEET_NICENESS_STEPS = 10;

/** A group of simulated workers in one child process; `kill` drops all their connections at once, as a lost node would. */
export interface SimulatedFleet {
  connected: Promise<void>;
  kill(): void;
  exited: Promise<void>;
}

export function startFleet(options: { url: string; token: string; count: number; holdMs: number; hang?: boolean }): SimulatedFleet {
  const child: ChildProcess = fork(script, [options.url, String(options.count), String(options.holdMs), options.hang ? '1' : '0'], {
    stdio: ['pipe', 'ignore', 'inherit', 'ipc'],
    env: { PATH: process.env.PATH ?? '' },
  });
  child.stdin?.end(options.token);
  // The coordinator is what is measured: the simulated fleet yields the CPU to it when both want it.
  if (child.pid !== undefined) setPriority(child.pid, Math.min(19, getPriority() + FLEET_NICENESS_STEPS));
  const connected = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`simulated workers exited with ${code} before connecting`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connected.catch(() => undefined);
  return { connected, kill: () => child.kill('SIGKILL'), exited };
}
