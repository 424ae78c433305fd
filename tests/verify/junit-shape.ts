import { wellFormedElements } from '../cli/xml.js';

/** The attributes Jenkins' junit-10.xsd allows on each element coordinate writes. */
const ALLOWED: Record<string, readonly string[]> = {
  testsuites: ['name', 'time', 'tests', 'failures', 'disabled', 'errors'],
  testsuite: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url', 'version'],
  testcase: ['name', 'assertions', 'time', 'classname', 'status', 'group', 'file', 'line'],
  failure: ['message', 'type'],
  error: ['message', 'type'],
  skipped: ['message'],
  'system-out': [],
  'system-err': [],
};
const PARENT: Record<string, string> = { testsuite: 'testsuites', testcase: 'testsuite', failure: 'testcase', error: 'testcase', skipped: 'testcase', 'system-out': 'testcase' };

/**
 * Checks `xml` against the shape of junit-10.xsd: a <testsuites> root, each element under the parent
 * the schema gives it, with only the attributes the schema allows. Throws naming the first problem.
 */
export function assertJUnitShape(xml: string): void {
  wellFormedElements(xml);
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    if (!(name! in ALLOWED)) throw new Error(`<${name}> is not an element of junit-10.xsd`);
    const parent = stack.at(-1);
    if (parent === undefined ? name !== 'testsuites' : PARENT[name!] !== parent) throw new Error(`<${name}> may not appear under <${parent ?? '(root)'}>`);
    for (const [, attr] of attrs!.matchAll(/([\w-]+)="/g)) {
      if (!ALLOWED[name!]!.includes(attr!)) throw new Error(`junit-10.xsd allows no attribute "${attr}" on <${name}>`);
    }
    if (!selfClosing) stack.push(name!);
  }
}
