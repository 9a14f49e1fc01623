// Timing, child-process and statistics helpers of the benchmark. Nothing here knows about tokenman.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';

/** Median, min and max of a list of numbers (the list is not modified). */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n };
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], n };
}

/** Elapsed milliseconds of an async function, with its result. */
export async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

// GNU time reports the peak resident set of the whole child (and the kernel, not a sampler, keeps
// it), so it is preferred; the wrapper script is the fallback where it is missing.
export const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command to its end and returns its exit code, wall time and the tail of its output. The
 * kill timer keeps a hung child from hanging the benchmark; the caller decides what a bad exit means.
 */
export function runProcess(command, args, { cwd, env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // Only the tail is kept: enough to show why a run failed, without holding Newman's whole report.
    const keep = (chunk) => {
      out = (out + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, ms: performance.now() - started, output: out });
    });
  });
}

/**
 * Runs `node <args>` and reports its peak RSS in MB (and its CPU time, where GNU time is there) as well: under GNU time when present, else
 * through `peak-rss.mjs`, which imports the entry script and prints `process.resourceUsage().maxRSS`.
 */
export async function runNodeWithPeak(nodeArgs, { cwd, env, tmpFile, timeoutMs }) {
  if (gnuTime) {
    const result = await runProcess(
      gnuTime,
      ['-o', tmpFile, '-f', '%M %U %S', process.execPath, ...nodeArgs],
      { cwd, env, timeoutMs },
    );
    const [kb, user, sys] = ((await readFile(tmpFile, 'utf8')).trim().split('\n').pop() ?? '')
      .split(' ')
      .map(Number);
    // CPU time of all the child's threads (user and kernel), which a busy machine inflates less than wall.
    return { ...result, peakMb: kb / 1024, peakVia: 'GNU time %M', cpuMs: (user + sys) * 1000 };
  }
  const wrapper = new URL('./peak-rss.mjs', import.meta.url).pathname;
  const result = await runProcess(process.execPath, [wrapper, tmpFile, ...nodeArgs], { cwd, env, timeoutMs });
  const kb = Number.parseInt((await readFile(tmpFile, 'utf8')).trim(), 10);
  return { ...result, peakMb: kb / 1024, peakVia: 'process.resourceUsage().maxRSS', cpuMs: Number.NaN };
}

/** `1.23 s`, `456 ms`: seconds from one second up, so columns stay readable. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function formatRatio(r) {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a';
}

/** `median (min–max)` of a summary, each value through `format`. */
export function formatSpread(summary, format) {
  if (summary.n === 0) return 'n/a';
  if (summary.n === 1 || summary.min === summary.max) return `${format(summary.median)}`;
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

/** A Markdown table, so the output pastes straight into an issue or a README. */
export function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * A proxy on 127.0.0.1 in front of `target` that holds each request `delayMs` (a remote server's
 * latency) and counts the requests in flight, so a benchmark can say how many a server saw at once.
 */
export function startCountingProxy(target, { delayMs = 0 } = {}) {
  const upstream = new URL(target);
  const counts = { inFlight: 0, most: 0, total: 0 };
  const server = createServer((req, res) => {
    counts.inFlight += 1;
    counts.total += 1;
    counts.most = Math.max(counts.most, counts.inFlight);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () =>
      setTimeout(() => {
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => {
              counts.inFlight -= 1;
            });
          },
        );
        forward.on('error', () => {
          counts.inFlight -= 1;
          res.writeHead(502).end();
        });
        forward.end(Buffer.concat(chunks));
      }, delayMs),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        counts,
        reset() {
          counts.most = 0;
          counts.total = 0;
        },
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}
