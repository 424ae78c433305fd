// One coordinator process admitting `count` distinct entries into a shared memory database.
import { openMemory } from '@coordinate/memory';

const [file, worker, count] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const WORDS = `amber basil cedar delta ember fjord garnet harbor indigo juniper kelp lagoon marble nectar onyx pepper quartz raven
  saffron tundra umber velvet willow xenon yarrow zephyr anchor beacon canyon dune estuary falcon glacier heron island jasper
  kestrel lantern meadow nimbus orchid prairie quiver reef sierra thistle upland vale wharf yonder zinnia alder bramble copper`.split(/\s+/);

let seed = [...worker].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 7) >>> 0;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const pick = () => WORDS[Math.floor(random() * WORDS.length)];

const store = openMemory(file);
let admitted = 0;
for (let i = 0; i < count; i++) {
  const words = Array.from({ length: 6 }, pick).join(' ');
  const result = store.admit({ kind: 'fact', text: `Record ${worker}x${i}: ${words}.`, title: `${worker}-${i}`, source: { runId: `run-${worker}`, taskId: `t${i}` } });
  if (result.action === 'inserted') admitted++;
}
store.close();
process.stdout.write(JSON.stringify({ worker, admitted }));
