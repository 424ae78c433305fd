// The CLI as one file: `coordinate` starts by loading it, and one module loads in a fraction of the
// time the hundreds of separate ES modules behind dist/cli/main.js take (resolving each is most of
// a start). It sits beside main.js, so paths relative to import.meta.url stay the same.
// better-sqlite3 stays outside: it finds its native addon relative to its own files; so does
// @coordinate/worker (`coordinate worker`), which reads its own package.json relative to itself.
export default {
  input: 'dist/cli/main.js',
  platform: 'node',
  external: ['better-sqlite3', '@coordinate/worker'],
  output: { file: 'dist/cli/coordinate-bundle.js', format: 'esm', codeSplitting: false, sourcemap: true },
};
