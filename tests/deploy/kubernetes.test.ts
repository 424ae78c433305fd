import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Job } from 'kubernetes-models/batch/v1/Job';

const dir = join(import.meta.dirname, '../../deploy/kubernetes');

/** Every document of a manifest file, parsed strictly: a YAML error fails the test with its place. */
async function manifests(file: string): Promise<Record<string, unknown>[]> {
  const documents = parseAllDocuments(await readFile(join(dir, file), 'utf8'));
  if (!Array.isArray(documents)) return [];
  for (const document of documents) expect(document.errors.map((e) => e.message), file).toEqual([]);
  return documents.map((document) => document.toJS() as Record<string, unknown>);
}

/** Validates against the Kubernetes API's JSON schema for its kind (kubernetes-models); throws naming the field. */
const models: Record<string, (value: Record<string, unknown>) => { validate(): void }> = {
  'v1/ConfigMap': (value) => new ConfigMap(value),
  'v1/Secret': (value) => new Secret(value),
  'batch/v1/Job': (value) => new Job(value),
};

describe('deploy/kubernetes', () => {
  it('holds only manifests that the Kubernetes schema of their kind accepts', async () => {
    for (const file of ['configmap.yaml', 'secret.yaml', 'job.yaml']) {
      for (const manifest of await manifests(file)) {
        const model = models[`${String(manifest.apiVersion)}/${String(manifest.kind)}`];
        expect(model, `${file}: ${String(manifest.apiVersion)} ${String(manifest.kind)}`).toBeDefined();
        expect(() => model!(manifest).validate(), file).not.toThrow();
      }
    }
  });

  it('rejects a manifest the schema does not allow (the check has teeth)', async () => {
    const [job] = await manifests('job.yaml');
    const broken = structuredClone(job!) as { spec: { activeDeadlineSeconds: unknown } };
    broken.spec.activeDeadlineSeconds = 'four hours';
    expect(() => new Job(broken as never).validate()).toThrow(/activeDeadlineSeconds/);
  });

  it('runs N workers as an Indexed Job: token from a Secret, URL from a ConfigMap, bounded, non-root, read-only root with an emptyDir for work', async () => {
    const [job] = await manifests('job.yaml');
    const { spec } = new Job(job);
    expect(spec?.completionMode).toBe('Indexed');
    expect(spec?.activeDeadlineSeconds).toBeGreaterThan(0);
    const pod = spec!.template.spec!;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    expect(container!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container!.resources?.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(container!.resources?.limits).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(container!.env).toContainEqual({ name: 'COORDINATE_URL', valueFrom: { configMapKeyRef: { name: 'coordinate-worker', key: 'url' } } });
    const work = container!.volumeMounts?.find((mount) => mount.mountPath === container!.workingDir);
    expect(pod.volumes?.find((volume) => volume.name === work?.name)?.emptyDir).toBeDefined();
    const tokens = pod.volumes?.find((volume) => volume.secret !== undefined);
    expect(tokens?.secret?.secretName).toBe('coordinate-worker-tokens');
    // Each index reads its own token, and nothing secret is on the command line itself.
    expect(container!.args?.join(' ')).toContain('token-${JOB_COMPLETION_INDEX}');
    const [secret] = await manifests('secret.yaml');
    const keys = Object.keys((secret as { stringData: Record<string, string> }).stringData);
    for (let index = 0; index < spec!.completions!; index++) expect(keys).toContain(`token-${index}`);
  });
});
