import { BundleAssembler, bundleRefOf, ProtocolError, readBundleChunk, type BundleRef } from '@coordinate/protocol';
import { expectReply, type PendingRequests } from '../requests.js';

/**
 * Fetches the attempt's base-commit bundle into `file`, one chunk per request: the next is asked
 * for only when the last is on disk, so the link's speed sets the pace. Resolves with the bundle once
 * its bytes match the SHA-256 the coordinator announced.
 */
export async function downloadBase(requests: PendingRequests, { taskId, attempt }: { taskId: string; attempt: number }, file: string): Promise<BundleRef> {
  let assembler: BundleAssembler | undefined;
  let offset = 0;
  for (;;) {
    const part = expectReply(await requests.request({ type: 'bundle.get', taskId, attempt, offset }), 'bundle.part');
    assembler ??= new BundleAssembler(file, { sha256: part.sha256, bytes: part.bytes });
    if (part.sha256 !== assembler.expected.sha256 || part.bytes !== assembler.expected.bytes) throw new ProtocolError('invalid_message', 'the base bundle changed while it was being fetched');
    if (part.data.length === 0 && !assembler.complete) throw new ProtocolError('invalid_message', `the base bundle ended at ${offset} of ${part.bytes} bytes`);
    offset = await assembler.add(part.offset, part.data);
    if (assembler.complete) return assembler.expected;
  }
}

/** Uploads a change bundle, one chunk per request, each sent once the coordinator holds the last. */
export async function uploadChange(requests: PendingRequests, { taskId, attempt }: { taskId: string; attempt: number }, file: string): Promise<BundleRef> {
  const ref = await bundleRefOf(file);
  let offset = 0;
  while (offset < ref.bytes) {
    const data = await readBundleChunk(file, offset);
    const stored = expectReply(await requests.request({ type: 'bundle.put', taskId, attempt, ...ref, offset, data }), 'bundle.stored');
    if (stored.received <= offset) throw new ProtocolError('invalid_message', `the coordinator holds ${stored.received} bytes of the change after a chunk at ${offset}`);
    offset = stored.received;
  }
  return ref;
}
