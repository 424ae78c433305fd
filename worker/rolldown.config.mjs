// The worker program as one file: a worker process starts by loading it, and one module loads in
// a third of the time the ~700 separate ES modules behind dist/main.js take.
export default {
  input: 'dist/main.js',
  platform: 'node',
  output: { file: 'dist/worker-bundle.js', format: 'esm', codeSplitting: false, sourcemap: true },
};
