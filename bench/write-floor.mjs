// The floor a build is measured against: `node write-floor.mjs <from> <to>` reads every file under
// <from> (a build's output) into memory, then writes the same files, in the same folders, under
// <to> (which must not exist) as plainly as one process can: the folders first, then every file
// with writeFile, as many at once as the build writes. Only the writing is timed; it prints one
// line of JSON: {"ms", "cpuMs", "files", "bytes"}, its CPU time being that of the whole process
// (the threads that do the writing included) over the same span.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** As many writes in flight as tokenman's own writer keeps (src/emit/write-artifacts.ts). */
const CONCURRENCY = 32;

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write('usage: node write-floor.mjs <from-dir> <to-dir>\n');
  process.exit(2);
}
const names = (await readdir(from, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => relative(from, join(entry.parentPath ?? entry.path, entry.name)));
const files = [];
for (const name of names) files.push({ name, bytes: await readFile(join(from, name)) });

const cpuBefore = process.cpuUsage();
const started = performance.now();
const folders = [...new Set(files.map((file) => dirname(join(to, file.name))))].sort();
for (const folder of folders) await mkdir(folder, { recursive: true });
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < files.length) {
      const file = files[next];
      next += 1;
      await writeFile(join(to, file.name), file.bytes);
    }
  }),
);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, files: files.length, bytes })}\n`,
);
