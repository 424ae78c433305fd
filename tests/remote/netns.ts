import { execa, type ResultPromise } from 'execa';
import { workerEntryPath } from 'coordinate';

/**
 * Network namespaces joined to this one by veth links: each holds one worker, which reaches the
 * coordinator only across its link, at `hostAddress`. Made with iproute2; `removeAll` takes every
 * namespace and link away again (deleting a namespace deletes its end of the link, and the pair with it).
 */
export interface Island {
  name: string;
  /** The host end of the link, in this namespace. */
  hostLink: string;
  /** The coordinator's address as the worker inside sees it. */
  hostAddress: string;
}

const made: Island[] = [];
const tag = String(process.pid % 100_000);

const ip = (args: string[]) => execa('ip', args, { timeout: 10_000 });

/** Why namespaces cannot be made here, or undefined when they can. */
export async function namespacesUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  const probe = `cprobe${tag}`;
  const made = await ip(['netns', 'add', probe]).then(
    () => undefined,
    (error: Error) => `ip netns add failed: ${error.message.split('\n')[0]}`,
  );
  if (made === undefined) await ip(['netns', 'delete', probe]).catch(() => undefined);
  return made;
}

/** A namespace with a veth link to this one: 10.<61>.<index>.1 here, .2 inside. */
export async function makeIsland(index: number): Promise<Island> {
  const name = `cw${tag}-${index}`;
  const hostLink = `cv${tag}h${index}`;
  const innerLink = `cv${tag}w${index}`;
  const island: Island = { name, hostLink, hostAddress: `10.61.${index}.1` };
  made.push(island);
  await ip(['netns', 'add', name]);
  await ip(['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', innerLink]);
  await ip(['link', 'set', innerLink, 'netns', name]);
  await ip(['addr', 'add', `${island.hostAddress}/24`, 'dev', hostLink]);
  await ip(['link', 'set', hostLink, 'up']);
  await ip(['-n', name, 'addr', 'add', `10.61.${index}.2/24`, 'dev', innerLink]);
  await ip(['-n', name, 'link', 'set', innerLink, 'up']);
  await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  return island;
}

/** Cuts (`down`) or restores (`up`) an island's link. */
export async function setLink(island: Island, state: 'up' | 'down'): Promise<void> {
  await ip(['link', 'set', island.hostLink, state]);
}

export async function removeIslands(): Promise<void> {
  for (const island of made.splice(0)) {
    await ip(['link', 'delete', island.hostLink]).catch(() => undefined);
    await ip(['netns', 'delete', island.name]).catch(() => undefined);
  }
}

const workers: ResultPromise[] = [];

/**
 * A deterministic worker inside `island`, in a mount namespace of its own where each of `hidden`
 * (the repository) is covered by an empty tmpfs: it reaches the work only through the protocol.
 */
export function startIslandWorker(island: Island, url: string, cwd: string, token: string, hidden: string[], ...flags: string[]): ResultPromise {
  const cover = hidden.map((dir, i) => `mount -t tmpfs -o size=1m hidden${i} "${dir}"`).join(' && ');
  const child = execa(
    'ip',
    ['netns', 'exec', island.name, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', `${cover} && exec "$@"`, 'sh', process.execPath, workerEntryPath(), '--url', url, '--executor', 'deterministic', ...flags],
    { cwd, extendEnv: false, env: { PATH: process.env.PATH ?? '', HOME: cwd, COORDINATE_TOKEN: token }, reject: false, timeout: 120_000 },
  );
  workers.push(child);
  return child;
}

export async function killIslandWorkers(): Promise<void> {
  for (const child of workers.splice(0)) {
    child.kill('SIGKILL');
    await child.catch(() => undefined);
  }
}
