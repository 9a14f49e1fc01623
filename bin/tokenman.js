#!/usr/bin/env node
// The compiled CLI lives in build/ (npm ci compiles it through the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../build/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('tokenman is not compiled yet: run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
await import(entry.href);
