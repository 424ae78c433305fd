#!/usr/bin/env node
import '../dist/cli/coordinate-bundle.js';
