import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleRefOf, readBundleChunk, type BundleRef, type MessageOf, type CoordinatorMessage, type Outgoing } from '@coordinate/protocol';
import { git } from '../git/index.js';

type Part = Outgoing<MessageOf<CoordinatorMessage, 'bundle.part'>>;

/**
 * The bundles of base commits that remote workers fetch: made the first time a worker asks for a
 * commit, then served to every worker starting from it, in chunks the worker asks for one by one.
 */
export class BaseBundles {
  readonly #made = new Map<string, Promise<BundleRef & { file: string }>>();

  constructor(private readonly options: { repo: string; dir: string }) {}

  /** The chunk of `commit`'s bundle at `offset`, as a `bundle.part` reply. */
  async part(commit: string, offset: number): Promise<Part> {
    const bundle = await this.#bundle(commit);
    const data = offset >= bundle.bytes ? '' : await readBundleChunk(bundle.file, offset);
    return { type: 'bundle.part', sha256: bundle.sha256, bytes: bundle.bytes, offset, data };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#made.values());
    await rm(this.options.dir, { recursive: true, force: true });
  }

  #bundle(commit: string): Promise<BundleRef & { file: string }> {
    let made = this.#made.get(commit);
    if (!made) {
      made = this.#make(commit);
      // A failure is not kept: the next request tries again.
      made.catch(() => this.#made.delete(commit));
      this.#made.set(commit, made);
    }
    return made;
  }

  async #make(commit: string): Promise<BundleRef & { file: string }> {
    const { repo, dir } = this.options;
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${commit}.bundle`);
    // git bundles name refs, not bare commits: a short-lived ref names this one.
    const ref = `refs/coordinate/bundle-base/${commit}`;
    await git(['update-ref', ref, commit], { cwd: repo });
    try {
      await git(['bundle', 'create', '--quiet', file, ref], { cwd: repo });
    } finally {
      await git(['update-ref', '-d', ref], { cwd: repo });
    }
    return { ...(await bundleRefOf(file)), file };
  }
}
