// Fallback peak-memory probe where GNU time is missing: `node peak-rss.mjs <out-file> <script> [args…]`
// runs <script> as if started directly and, as the process exits, writes its peak RSS in KB to
// <out-file>. The 'exit' event still fires when the script sets process.exitCode or calls exit().
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outFile, script, ...rest] = process.argv.slice(2);
if (!outFile || !script) {
  process.stderr.write('usage: node peak-rss.mjs <out-file> <script> [args…]\n');
  process.exit(2);
}
// The script parses process.argv as if it had been started itself.
process.argv = [process.argv[0], resolve(script), ...rest];
process.on('exit', () => writeFileSync(outFile, `${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(resolve(script)).href);
