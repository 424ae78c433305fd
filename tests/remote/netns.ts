import { execa, type ResultPromise } from 'execa';
import { workerEntryPath } from 'coordinate';

/**
 * Machines made of network namespaces: one for the coordinator and one per worker ("island"), each
 * island joined to the coordinator's by a veth link of its own and to nothing else, not even to the
 * namespace the tests run in. Made with iproute2; `removeNetwork` deletes every namespace, and a
 * deleted namespace takes its ends of the links, and so the links, with it.
 */
export interface Island {
  name: string;
  /** The link's end in the coordinator's namespace: setting it down cuts this island off. */
  coordinatorLink: string;
  /** The coordinator's address as the worker inside sees it. */
  coordinatorAddress: string;
}

/** Namespaces made and not yet deleted, the coordinator's included. */
const made: string[] = [];
const tag = String(process.pid % 100_000);
/** The coordinator's namespace. */
export const coordinatorNamespace = `cc${tag}`;

const ip = (args: string[]) => execa('ip', args, { timeout: 10_000 });

/** Why namespaces cannot be made here, or undefined when they can. */
export async function namespacesUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  const probe = `cprobe${tag}`;
  const failed = await ip(['netns', 'add', probe]).then(
    () => undefined,
    (error: Error) => `ip netns add failed: ${error.message.split('\n')[0]}`,
  );
  if (failed === undefined) await ip(['netns', 'delete', probe]).catch(() => undefined);
  return failed;
}

/** A new namespace with its loopback up; one a killed earlier run of this pid left behind is replaced. */
async function makeNamespace(name: string): Promise<void> {
  await ip(['netns', 'delete', name]).catch(() => undefined);
  made.push(name);
  await ip(['netns', 'add', name]);
  await ip(['-n', name, 'link', 'set', 'lo', 'up']);
}

/** The coordinator's namespace; make it before any island. */
export async function makeCoordinatorNamespace(): Promise<void> {
  await makeNamespace(coordinatorNamespace);
}

/** An island with a veth link to the coordinator's namespace: 10.61.<index>.1 there, .2 inside. */
export async function makeIsland(index: number): Promise<Island> {
  const name = `cw${tag}-${index}`;
  const coordinatorLink = `cv${tag}c${index}`;
  const innerLink = `cv${tag}w${index}`;
  const island: Island = { name, coordinatorLink, coordinatorAddress: `10.61.${index}.1` };
  await makeNamespace(name);
  await ip(['-n', name, 'link', 'add', innerLink, 'type', 'veth', 'peer', 'name', coordinatorLink, 'netns', coordinatorNamespace]);
  await ip(['-n', coordinatorNamespace, 'addr', 'add', `${island.coordinatorAddress}/24`, 'dev', coordinatorLink]);
  await ip(['-n', coordinatorNamespace, 'link', 'set', coordinatorLink, 'up']);
  await ip(['-n', name, 'addr', 'add', `10.61.${index}.2/24`, 'dev', innerLink]);
  await ip(['-n', name, 'link', 'set', innerLink, 'up']);
  return island;
}

/** Cuts (`down`) or restores (`up`) an island's link, at the coordinator's end. */
export async function setLink(island: Island, state: 'up' | 'down'): Promise<void> {
  await ip(['-n', coordinatorNamespace, 'link', 'set', island.coordinatorLink, state]);
}

/** Deletes every namespace made, the links with them. */
export async function removeNetwork(): Promise<void> {
  for (const name of made.splice(0).reverse()) await ip(['netns', 'delete', name]).catch(() => undefined);
}

const processes: ResultPromise[] = [];

/** `command` run inside the namespace `name`; killed by `killNamespaceProcesses`. */
function inNamespace(name: string, command: string[], options: { cwd: string; env: Record<string, string> }): ResultPromise {
  const child = execa('ip', ['netns', 'exec', name, ...command], { ...options, extendEnv: false, reject: false, timeout: 120_000 });
  processes.push(child);
  return child;
}

/** A node script (`argv` after it) in the coordinator's namespace, with this process's environment. */
export function startInCoordinatorNamespace(script: string, argv: string[], cwd: string): ResultPromise {
  return inNamespace(coordinatorNamespace, [process.execPath, script, ...argv], { cwd, env: { ...(process.env as Record<string, string>) } });
}

/**
 * A deterministic worker inside `island`, in a mount namespace of its own where each of `hidden`
 * (the repository) is covered by an empty tmpfs: it reaches the work only through the protocol.
 */
export function startIslandWorker(island: Island, url: string, cwd: string, token: string, hidden: string[], ...flags: string[]): ResultPromise {
  const cover = hidden.map((dir, i) => `mount -t tmpfs -o size=1m hidden${i} "${dir}"`).join(' && ');
  return inNamespace(
    island.name,
    ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', `${cover} && exec "$@"`, 'sh', process.execPath, workerEntryPath(), '--url', url, '--executor', 'deterministic', ...flags],
    { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, COORDINATE_TOKEN: token } },
  );
}

/** SIGKILLs every process started in a namespace (each is the process `ip netns exec` became) and waits for it. */
export async function killNamespaceProcesses(): Promise<void> {
  for (const child of processes.splice(0)) {
    child.kill('SIGKILL');
    await child.catch(() => undefined);
  }
}
