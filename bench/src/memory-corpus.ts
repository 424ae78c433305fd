/**
 * A seeded, generated team memory and the queries to grade it with. Every entry names a distinct
 * (area, component, qualifier) and a code identifier; queries restate entries in other words and
 * inflections, ask for identifiers, ask about two entries at once, follow knowledge updates, ask
 * about things the memory never heard of, and touch files guarded by directives.
 */

import { seededRandom } from '@coordinate/testkit';

const AREA_PREFIXES = `geo pay net doc user team org data file mail chat feed shop sync edge core cloud task event media map price
  stock fleet claim quote loan risk trip`.split(/\s+/);
const AREA_ROOTS = `ledger gate hub desk vault board lens forge relay pulse track scope grid flow link nest port stack press works
  base mint craft dock line mark sense cast point zone`.split(/\s+/);

/** Real code bases name hundreds of subsystems; compound names give the corpus that spread. */
const AREAS = AREA_PREFIXES.flatMap((prefix) => AREA_ROOTS.map((root) => `${prefix}${root}`));

const BASE_AREAS = `billing invoice ledger auth session token cache queue scheduler search upload storage payment webhook email
  notification report export metrics tracing config flag migration schema gateway router proxy limiter tenant account profile
  avatar thumbnail image video audio transcoder crawler parser lexer compiler bundler linter formatter cart checkout coupon
  discount shipping inventory warehouse order refund subscription catalog pricing tax currency analytics dashboard audit
  consent privacy backup replica shard`.split(/\s+/);
const DIRECTIVE_AREAS = BASE_AREAS;

const COMPONENTS = `service handler client adapter repository controller middleware module plugin store resolver serializer
  validator loader builder factory manager provider registry dispatcher emitter listener pool buffer encoder decoder mapper
  reducer selector hook widget job cron pipeline stage fixture snapshot harness runner worker`.split(/\s+/);

const QUALIFIERS = `batch stream bulk legacy async nightly partial incremental primary secondary regional global internal
  external public private shared cached remote local draft`.split(/\s+/);

/** Detail words: [base form, another inflection a paraphrase would use]. */
const DETAILS: [string, string][] = `timezone:timezones rounding:rounded pagination:paginated cursor:cursors retry:retries
  deadlock:deadlocks encoding:encoded checksum:checksums signature:signatures expiry:expired throttle:throttling
  idempotency:idempotent locale:locales precision:precise overflow:overflows ordering:ordered dedupe:deduplicated
  compression:compressed redirect:redirects migration:migrating fallback:fallbacks hydration:hydrated eviction:evicted
  partition:partitioned rollback:rollbacks heartbeat:heartbeats watermark:watermarks snapshot:snapshots quota:quotas
  sampling:sampled debounce:debounced sanitize:sanitized escaping:escaped truncation:truncated normalize:normalized
  validation:validated serialization:serialized scheduling:scheduled caching:cached batching:batched streaming:streamed
  sorting:sorted filtering:filtered grouping:grouped merging:merged splitting:split parsing:parsed hashing:hashed
  signing:signed tagging:tagged versioning:versioned logging:logged tracing:traced metering:metered billing:billed
  invoicing:invoiced refunding:refunded shipping:shipped counting:counted ranking:ranked scoring:scored matching:matched
  indexing:indexed loading:loaded saving:saved locking:locked polling:polled queueing:queued routing:routed proxying:proxied`
  .split(/\s+/)
  .map((pair) => pair.split(':') as [string, string]);

const VERBS = `parse build load save sync merge split render resolve validate encode decode fetch flush drain emit
  compute apply reset refresh prune compact rotate`.split(/\s+/);

const FOREIGN = `kubernetes terraform grafana prometheus helm ansible jenkins airflow kafka zookeeper nginx envoy istio consul
  vault nomad spark hadoop flink cassandra elasticsearch kibana logstash fluentd openshift rancher argocd tekton
  spinnaker bazel gradle maven sbt haskell erlang elixir clojure fortran cobol ocaml`.split(/\s+/);

const GENERIC = `how do we handle the setup for what is our approach to configure tune upgrade rotate`.split(/\s+/);

const KIND_TEMPLATES = {
  fact: (e: Seed) =>
    `The ${e.qualifier} ${e.area} ${e.component} ${e.verb}s ${e.d1[0]} and ${e.d2[0]} through \`${e.identifier}\` in ${e.file}.`,
  convention: (e: Seed) =>
    `In the ${e.qualifier} ${e.area} ${e.component}, keep ${e.d1[0]} next to ${e.d2[0]} and call \`${e.identifier}\` rather than inlining it.`,
  pitfall: (e: Seed) =>
    `The ${e.qualifier} ${e.area} ${e.component} breaks ${e.d1[0]} when ${e.d2[0]} runs first; \`${e.identifier}\` must wait for it.`,
  procedure: (e: Seed) =>
    `To ${e.verb} ${e.d1[0]} for the ${e.qualifier} ${e.area} ${e.component}, run \`npm run ${e.verb}:${e.area}\` then check ${e.d2[0]} with \`${e.identifier}\`.`,
} as const;

type PlainKind = keyof typeof KIND_TEMPLATES;

interface Seed {
  area: string;
  component: string;
  qualifier: string;
  verb: string;
  d1: [string, string];
  d2: [string, string];
  identifier: string;
  file: string;
}

export interface CorpusEntry {
  key: string;
  kind: PlainKind | 'directive';
  text: string;
  tags: string[];
  files: string[];
}

export type QueryType = 'paraphrase' | 'identifier' | 'two_entry' | 'update' | 'abstention' | 'directive';

export interface CorpusQuery {
  type: QueryType;
  query: string;
  files?: string[];
  /** Entry keys with their grade: 2 = the answer, 1 = also relevant. */
  relevant: Record<string, number>;
  /** For knowledge updates: the key of the superseded entry, which must not come back. */
  stale?: string;
}

export interface Corpus {
  entries: CorpusEntry[];
  /** Admitted after `entries`: each contradicts one earlier entry and must supersede it. */
  updates: CorpusEntry[];
  queries: CorpusQuery[];
}

const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1);

export function generateCorpus(size: number, seed: number, queriesPerType = 100): Corpus {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const used = new Set<string>();
  const seeds: Seed[] = [];
  const entries: CorpusEntry[] = [];
  const directiveCount = Math.max(20, Math.floor(size / 200));
  const updateCount = queriesPerType;
  const plainCount = size - directiveCount - updateCount;

  while (seeds.length < plainCount + updateCount) {
    const area = pick(AREAS);
    const component = pick(COMPONENTS);
    const qualifier = pick(QUALIFIERS);
    const verb = pick(VERBS);
    const key = `${qualifier}.${area}.${component}.${verb}`;
    if (used.has(key)) continue;
    used.add(key);
    const d1 = pick(DETAILS);
    let d2 = pick(DETAILS);
    while (d2 === d1) d2 = pick(DETAILS);
    const identifier = `${verb}${cap(qualifier)}${cap(area)}${cap(component)}`;
    seeds.push({ area, component, qualifier, verb, d1, d2, identifier, file: `src/${area}/${qualifier}-${component}.ts` });
  }

  const kinds = Object.keys(KIND_TEMPLATES) as PlainKind[];
  for (let i = 0; i < plainCount; i++) {
    const s = seeds[i]!;
    const kind = kinds[i % kinds.length]!;
    entries.push({ key: `e${i}`, kind, text: KIND_TEMPLATES[kind](s), tags: [s.area], files: [s.file] });
  }

  const directiveAreas = DIRECTIVE_AREAS;
  for (let i = 0; i < directiveCount; i++) {
    const area = directiveAreas[i % directiveAreas.length]!;
    const round = Math.floor(i / directiveAreas.length);
    const text =
      i % 2 === 0
        ? `Never edit src/${area}/generated${round || ''}/** by hand; it is regenerated from the ${area} schema.`
        : `Never run \`npm run deploy:${area}${round || ''}\` from a workstation; the release pipeline owns it.`;
    entries.push({ key: `d${i}`, kind: 'directive', text, tags: [area], files: [] });
  }

  const updates: CorpusEntry[] = [];
  const queries: CorpusQuery[] = [];
  for (let i = 0; i < updateCount; i++) {
    const s = seeds[plainCount + i]!;
    const setting = `${s.qualifier} ${s.area} ${s.component} ${s.d1[0]} timeout`;
    const oldValue = 1000 + Math.floor(random() * 9000);
    const newValue = oldValue + 1 + Math.floor(random() * 5000);
    entries.push({ key: `u${i}-old`, kind: 'fact', text: `The ${setting} is ${oldValue} ms.`, tags: [s.area], files: [s.file] });
    updates.push({ key: `u${i}-new`, kind: 'fact', text: `The ${setting} is now ${newValue} ms.`, tags: [s.area], files: [s.file] });
    queries.push({
      type: 'update',
      query: `What timeout does the ${s.area} ${s.component} use for ${s.d1[1]} in the ${s.qualifier} path?`,
      relevant: { [`u${i}-new`]: 2 },
      stale: `u${i}-old`,
    });
  }

  const plainIndex = () => Math.floor(random() * plainCount);
  for (let q = 0; q < queriesPerType; q++) {
    const i = plainIndex();
    const s = seeds[i]!;
    const phrasing = [
      `How should ${s.d1[1]} and ${s.d2[1]} work for the ${s.qualifier} ${s.component} of ${s.area}?`,
      `${cap(s.area)} ${s.component}s (${s.qualifier}): anything about ${s.d2[1]} or ${s.d1[1]}?`,
      `I am changing ${s.d1[1]} in the ${s.area} ${s.component}, the ${s.qualifier} one; what about ${s.d2[1]}?`,
    ];
    queries.push({ type: 'paraphrase', query: pick(phrasing), relevant: { [`e${i}`]: 2 } });
  }
  for (let q = 0; q < queriesPerType; q++) {
    const i = plainIndex();
    const s = seeds[i]!;
    const query = pick([`Where is ${s.identifier} used?`, `${s.identifier}`, `what do we know about ${s.identifier}`]);
    queries.push({ type: 'identifier', query, relevant: { [`e${i}`]: 2 } });
  }
  for (let q = 0; q < queriesPerType; q++) {
    const [i, j] = [plainIndex(), plainIndex()];
    const [a, b] = [seeds[i]!, seeds[j]!];
    queries.push({
      type: 'two_entry',
      query: `Does ${a.d1[1]} in the ${a.qualifier} ${a.area} ${a.component} interact with ${b.d2[1]} in the ${b.qualifier} ${b.area} ${b.component}?`,
      relevant: { [`e${i}`]: 2, [`e${j}`]: 2 },
    });
  }
  for (let q = 0; q < queriesPerType; q++) {
    const words = [pick(FOREIGN), pick(FOREIGN), pick(FOREIGN)];
    const lead = pick(GENERIC);
    queries.push({ type: 'abstention', query: `${cap(lead)} ${words[0]} ${words[1]} with ${words[2]} in our setup?`, relevant: {} });
  }
  for (let q = 0; q < queriesPerType; q++) {
    const d = Math.floor(random() * directiveCount);
    const area = directiveAreas[d % directiveAreas.length]!;
    const round = Math.floor(d / directiveAreas.length);
    const query =
      d % 2 === 0
        ? { query: `Add a field to the ${area} models`, files: [`src/${area}/generated${round || ''}/models.ts`, `src/${area}/index.ts`] }
        : { query: `Ship the ${area} change: run npm run deploy:${area}${round || ''} once tests pass` };
    queries.push({ type: 'directive', ...query, relevant: { [`d${d}`]: 2 } });
  }
  return { entries, updates, queries };
}
