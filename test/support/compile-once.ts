// vitest globalSetup: the CLI tests run the compiled CLI (bin/tokenman.js imports build/), so build/
// is compiled from src/ once before any test file runs, whichever files a run selects. The compile
// is incremental: its record lives inside build/, so a deleted build/ is compiled in full, and a run
// with src/ unchanged costs a second or two instead of a full compile.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default function compileOnce(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'build/.tsbuildinfo'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed, so the CLI tests cannot run:\n${stdout}${stderr}`);
  }
}
