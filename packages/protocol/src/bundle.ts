import { z } from 'zod';
import { defineError } from './errors.js';

/*
 * Git bundles between the coordinator and a worker that shares no filesystem with it: the task's
 * base commit goes out, the task's change comes back. Both travel in chunks the receiver asks for
 * (or acknowledges) one at a time, so a slow link holds the sender back instead of filling its
 * buffers; every bundle is named by its SHA-256 and checked against it once whole.
 */

/** Bytes of bundle per chunk, before base64: with the encoding a frame stays far below the frame limit. */
export const BUNDLE_CHUNK_BYTES = 1024 * 1024;

/** The largest bundle either side accepts, in bytes. A repository or a change past it is refused with `bundle_too_large`. */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
/** A full git object id (SHA-1 or SHA-256 repositories). */
export const CommitId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full hex commit id');

/** A bundle as both sides name it: its size in bytes and the SHA-256 of its bytes. */
export const BundleRef = z.object({ sha256: Sha256, bytes: z.number().int().positive().max(MAX_BUNDLE_BYTES) });
export type BundleRef = z.infer<typeof BundleRef>;

/** What an attempt on a worker without the repository starts from: the commit its work is based on. */
export const TaskBase = z.object({ commit: CommitId });
export type TaskBase = z.infer<typeof TaskBase>;

/** An implementation's change as a remote worker returns it: a bundle of commits on top of the base, uploaded before the result. */
export const TaskChange = BundleRef.extend({ base: CommitId, head: CommitId });
export type TaskChange = z.infer<typeof TaskChange>;

export const bundleOffset = z.number().int().nonnegative().max(MAX_BUNDLE_BYTES);
/** One chunk's bytes, base64. */
export const bundleData = z.string().max(Math.ceil(BUNDLE_CHUNK_BYTES / 3) * 4);

/** A bundle whose bytes do not hash to the SHA-256 it was announced with: it was corrupted or cut on the way. */
export const BundleChecksumError = defineError('bundle_checksum', z.object({ expected: z.string(), actual: z.string() }), { retryable: true, exit: 'taskFailed' });

/** A bundle past {@link MAX_BUNDLE_BYTES}. */
export const BundleTooLargeError = defineError('bundle_too_large', z.object({ bytes: z.number(), limit: z.number() }), { retryable: false, exit: 'taskFailed' });

/** A returned change that cannot be taken in: not a bundle, wrong refs, or commits that do not descend from the base. */
export const ChangeRefusedError = defineError('change_refused', z.unknown(), { retryable: false, exit: 'taskFailed' });
