import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { explainError, type PathFlag } from '../../src/cli/explain-error.js';
import { OutputLockedError } from '../../src/emit/output-lock.js';
import { ROOT, runCli } from '../support/run-cli.js';

// The corpus of a user's mistakes on the command line, as test/fixtures/invalid/ is for specs: each
// is one sentence on stderr naming the flag or file and what would be valid, exit code 1, never a
// stack trace and never "unexpected error".

const work = mkdtempSync(join(tmpdir(), 'tokenman-mistakes-'));
const SECRET = 'hunter2-do-not-print';

/** A small file system mounted for a case (full, read-only), where this machine lets tests mount one. */
function tryMount(dir: string, options: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted: string[] = [];

beforeAll(() => {
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(work, 'dist'), { recursive: true });
  writeFileSync(join(work, 'a-file'), 'not a folder\n');
  symlinkSync('a-file', join(work, 'spec-link.yaml'));
  // A .env of credentials passed as -e by mistake: one line a JSON parser's message would quote.
  writeFileSync(join(work, 'secrets.env'), `CLIENT_SECRET=${SECRET}\n`);
  writeFileSync(
    join(work, 'broken.json'),
    `{\n  "values": [\n    {"key": "ClientSecret", "value": "${SECRET}"}\n  ]\n  "name": "x"\n}\n`,
  );
  writeFileSync(join(work, 'null.json'), 'null\n');
  writeFileSync(join(work, 'values-5.json'), '{"values": 5}\n');
  writeFileSync(join(work, 'entry-string.json'), '{"values": ["ClientSecret"]}\n');
  if (process.platform !== 'win32') execFileSync('mkfifo', [join(work, 'specs', 'pipe.yaml')]);
  if (tryMount(join(work, 'full'), 'size=16k')) mounted.push(join(work, 'full'));
  if (tryMount(join(work, 'read-only'), 'ro,size=16k')) mounted.push(join(work, 'read-only'));
});
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  rmSync(work, { recursive: true, force: true });
});

interface Mistake {
  what: string;
  args: string[];
  /** The whole of stderr. */
  stderr: string;
  /** What this machine must have for the case to run (a case that cannot run fails, saying so). */
  needs?: { what: string; met: () => boolean };
}

const SPECS = 'give the folder that holds your *.yaml specs';
const OUT = 'give a folder to write to (it is made if missing)';
const ENVIRONMENT = 'give a Postman environment file (in Postman: Environments, ⋯, Export)';
const mountedAt = (dir: string) => ({
  what: `a 16 KB file system mounted at ${dir}/, which needs root on Linux`,
  met: () => mounted.includes(join(work, dir)),
});

const MISTAKES: Mistake[] = [
  {
    what: 'build: --specs does not exist',
    args: ['build', '--specs', 'nope'],
    stderr: `tokenman: --specs nope does not exist; ${SPECS}\n`,
  },
  {
    what: 'validate: --specs does not exist',
    args: ['validate', '--specs', 'nope'],
    stderr: `tokenman: --specs nope does not exist; ${SPECS}\n`,
  },
  {
    what: 'verify: --specs does not exist',
    args: ['verify', '--local', '--specs', 'nope'],
    stderr: `tokenman: --specs nope does not exist; ${SPECS}\n`,
  },
  {
    what: 'serve: --specs does not exist',
    args: ['serve', '--specs', 'nope'],
    stderr: `tokenman: --specs nope does not exist; ${SPECS}\n`,
  },
  {
    what: '--specs is a file',
    args: ['validate', '--specs', 'a-file'],
    stderr: `tokenman: --specs a-file is a file, not a folder; ${SPECS}\n`,
  },
  {
    what: '--out is a file',
    args: ['build', 'specs/biotz.yaml', '--out', 'a-file'],
    stderr: `tokenman: --out a-file is a file, not a folder; ${OUT}\n`,
  },
  {
    what: '--out is below a file',
    args: ['build', 'specs/biotz.yaml', '--out', 'a-file/dist'],
    stderr: `tokenman: --out a-file/dist is not a folder: a-file is a file; ${OUT}\n`,
  },
  {
    what: '--out is empty',
    args: ['build', '--out', ''],
    stderr: `tokenman: --out is empty; ${OUT}\n`,
  },
  {
    what: '--out is on a read-only file system',
    args: ['build', 'specs/biotz.yaml', '--out', 'read-only/dist'],
    stderr: `tokenman: --out read-only/dist is on a read-only file system; ${OUT}\n`,
    needs: mountedAt('read-only'),
  },
  {
    what: '--out is on a full disk',
    args: ['build', '--specs', 'specs', 'specs/biotz.yaml', 'specs/sap-ai-core.yaml', '--out', 'full/dist'],
    stderr:
      'tokenman: no space left on the disk of --out full/dist; free some space and run tokenman again\n',
    needs: mountedAt('full'),
  },
  {
    what: '--reporters-dir is a file',
    args: ['verify', '--local', 'specs/biotz.yaml', '-r', 'junit', '--reporters-dir', 'a-file'],
    stderr:
      'tokenman: --reporters-dir a-file is a file, not a folder; give a folder for the reports (it is made if missing)\n',
  },
  {
    what: '--dist is empty',
    args: ['verify', '--local', '--dist', ''],
    stderr: 'tokenman: --dist is empty; give the folder tokenman build wrote\n',
  },
  {
    what: '-e does not exist',
    args: ['verify', '-e', 'missing.json'],
    stderr: `tokenman: -e missing.json does not exist; ${ENVIRONMENT}\n`,
  },
  {
    what: '-e is a folder',
    args: ['verify', '-e', 'specs'],
    stderr: `tokenman: -e specs is a folder; ${ENVIRONMENT}\n`,
  },
  {
    what: '-e is a one-line file of secrets, not JSON',
    args: ['verify', '-e', 'secrets.env'],
    stderr: `tokenman: -e secrets.env is not JSON (line 1, column 1); ${ENVIRONMENT}\n`,
  },
  {
    what: '-e is JSON with a missing comma',
    args: ['verify', '-e', 'broken.json'],
    stderr: `tokenman: -e broken.json is not JSON (line 5, column 3); ${ENVIRONMENT}\n`,
  },
  {
    what: '-e is null',
    args: ['verify', '-e', 'null.json'],
    stderr: `tokenman: -e null.json is not a Postman environment: it is null, not an object with a "values" list; ${ENVIRONMENT}\n`,
  },
  {
    what: '-e has values that are not a list',
    args: ['verify', '-e', 'values-5.json'],
    stderr: `tokenman: -e values-5.json is not a Postman environment: its "values" is a number, not an object with a "values" list; ${ENVIRONMENT}\n`,
  },
  {
    what: '-e has a value that is not a {key, value}',
    args: ['verify', '-e', 'entry-string.json'],
    stderr: `tokenman: -e entry-string.json is not a Postman environment: values[0] is a string, not {"key": …, "value": …}; ${ENVIRONMENT}\n`,
  },
  // every numeric flag takes decimal digits in its range, said with the range; JavaScript's
  // Number() took 0x50 (port 80) and a timer turned 3000000000 ms into 1 ms.
  {
    what: '--timeout-request past the longest timer',
    args: ['verify', '--local', '--timeout-request', '3000000000'],
    stderr:
      'tokenman: --timeout-request takes a whole number from 1 to 2147483647 (milliseconds), got "3000000000"\n',
  },
  {
    what: '--timeout-request in exponent notation',
    args: ['verify', '--local', '--timeout-request', '1e3'],
    stderr:
      'tokenman: --timeout-request takes a whole number from 1 to 2147483647 (milliseconds), got "1e3"\n',
  },
  {
    what: '--concurrency past its range',
    args: ['verify', '--local', '--concurrency', '1001'],
    stderr: 'tokenman: --concurrency takes a whole number from 1 to 1000 (runs at once), got "1001"\n',
  },
  {
    what: 'serve: --port in hexadecimal (Number() reads 0x50 as port 80)',
    args: ['serve', '--port', '0x50'],
    stderr:
      'tokenman: --port takes a whole number from 0 to 65535 (a port on 127.0.0.1; 0 picks a free one), got "0x50"\n',
  },
  {
    what: 'serve: --port past 65535',
    args: ['serve', '--port', '65536'],
    stderr:
      'tokenman: --port takes a whole number from 0 to 65535 (a port on 127.0.0.1; 0 picks a free one), got "65536"\n',
  },
  // the sentence quoted the whole argument, value and all.
  {
    what: '--env-var with a colon for "="',
    args: ['verify', '--env-var', `ClientSecret:${SECRET}`],
    stderr:
      'tokenman: --env-var ClientSecret… has ":" where "=" goes: write --env-var ClientSecret=… (the value is not shown, as it may be a secret)\n',
  },
  {
    what: '--env-var with the value alone',
    args: ['verify', '--env-var', SECRET],
    stderr:
      'tokenman: --env-var takes KEY=VALUE, and one has no "=" (the value is not shown, as it may be a secret)\n',
  },
  // every writer checks its path in one place (src/emit/output-path.ts).
  {
    what: 'init --file a link: not written through (nor replaced, --force or not)',
    args: [
      'init',
      'Acme',
      '--yes',
      '--force',
      '--url',
      'https://login.acme.example/token',
      '--file',
      'spec-link.yaml',
    ],
    stderr:
      'tokenman: --file spec-link.yaml is a link (to a-file); tokenman writes no file through a link: give the path itself\n',
  },
  {
    what: 'a spec path that is a FIFO',
    args: ['validate', 'specs/pipe.yaml'],
    stderr:
      'specs/pipe.yaml: error: cannot read the spec: it is a FIFO (named pipe), not a file\n  hint: a spec is a YAML file; save it to a file and give that path\n',
    needs: { what: 'a FIFO, which Windows does not have', met: () => process.platform !== 'win32' },
  },
];

describe('a mistake on the command line is one sentence, exit code 1', () => {
  test.each(MISTAKES)('$what', async ({ args, stderr, needs }) => {
    if (needs) expect(needs.met(), `this case needs ${needs.what}`).toBe(true);
    const result = await runCli(args, { cwd: work });
    expect(result.stderr).toBe(stderr);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stderr).not.toContain(SECRET);
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('not a folder\n');
  });
});

test('serve: --port in use by another program is one sentence, exit 1', async () => {
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as AddressInfo;
  try {
    const result = await runCli(['serve', 'specs/biotz.yaml', '--port', String(port)], { cwd: work });
    expect(result.stderr).toBe(
      `tokenman: --port ${port} is in use by another program on 127.0.0.1; give another port, or 0 for a free one\n`,
    );
    expect(result.code).toBe(1);
  } finally {
    other.close();
  }
});

describe('errors from deep inside a command, mapped to the flag they are on', () => {
  const flags: PathFlag[] = [
    { flag: '--specs', value: 'specs', expects: 'specs' },
    { flag: '--out', value: 'out/dist', expects: 'a folder to write to', writes: true },
  ];
  const fsError = (code: string, path?: string) =>
    Object.assign(new Error(`${code}: raw message`), { code, ...(path ? { path } : {}) });

  test.each([
    [
      'a full disk while writing a staged file',
      fsError('ENOSPC', 'out/dist/.tokenman-tmp-x/files/a.json'),
      'no space left on the disk of --out out/dist; free some space and run tokenman again',
    ],
    [
      'a full disk on a write that names no path',
      fsError('ENOSPC'),
      'no space left on the disk of --out out/dist; free some space and run tokenman again',
    ],
    [
      'a quota exceeded',
      fsError('EDQUOT', 'out/dist/x'),
      'no space left on the disk of --out out/dist; free some space and run tokenman again',
    ],
    [
      'a folder without write permission',
      fsError('EACCES', 'out/dist/.tokenman-lock-x'),
      '--out out/dist cannot be written (permission denied); give a folder to write to',
    ],
    [
      'a specs folder without read permission',
      fsError('EACCES', 'specs'),
      '--specs specs cannot be read (permission denied); give specs',
    ],
    [
      'a read-only file system',
      fsError('EROFS', 'out/dist'),
      '--out out/dist is on a read-only file system; give a folder to write to',
    ],
    [
      'a lock that stays held by a running build',
      new OutputLockedError(
        'out/dist',
        'out/dist/.tokenman.lock',
        { pid: 4242, host: 'ci-7', since: '2026-01-02T03:04:05.000Z', nonce: 'n' },
        30_000,
      ),
      '--out out/dist stayed locked by another tokenman build (pid 4242 on ci-7 since 2026-01-02T03:04:05.000Z) for 30 s; run again when it ends, or remove out/dist/.tokenman.lock if no tokenman build is running',
    ],
  ])('%s', (_, error, sentence) => {
    expect(explainError(error, flags)).toBe(sentence);
  });

  test('a bug stays a bug: an error that is no file system error is not explained away', () => {
    expect(explainError(new TypeError('x is undefined'), flags)).toBeUndefined();
    expect(explainError(fsError('ENOENT', 'out/dist/.tokenman-tmp-x/files/a.json'), flags)).toBeUndefined();
  });
});
