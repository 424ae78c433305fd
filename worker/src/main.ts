#!/usr/bin/env node
import './executors/index.js';
import { runWorkerCli } from './cli.js';

const code = await runWorkerCli(process.argv.slice(2));
process.exitCode = code;
// An executor that ignores its abort signal must not keep a stopped worker alive as an orphan.
setTimeout(() => process.exit(code), 2_000).unref();
