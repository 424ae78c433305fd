import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./sim-workers.js', import.meta.url));

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
  const connected = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`simulated workers exited with ${code} before connecting`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connected.catch(() => undefined);
  return { connected, kill: () => child.kill('SIGKILL'), exited };
}
