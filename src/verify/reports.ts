import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactJson, redactText } from './redact.js';

export type ReporterName = 'cli' | 'junit' | 'json';

/** Where Newman's junit and json reporters write for one run, when asked for. */
export function reportPaths(dir: string, baseName: string, reporters: ReporterName[]) {
  return {
    junit: reporters.includes('junit') ? join(dir, `${baseName}.junit.xml`) : undefined,
    json: reporters.includes('json') ? join(dir, `${baseName}.json`) : undefined,
  };
}

/** Rewrites a report with every secret and token redacted, atomically. */
export async function redactReport(file: string, secrets: string[]): Promise<void> {
  const text = await readFile(file, 'utf8');
  const redacted = file.endsWith('.json')
    ? `${JSON.stringify(redactJson(JSON.parse(text), secrets), null, 2)}\n`
    : redactText(text, secrets);
  await writeFile(`${file}.tmp`, redacted);
  await rename(`${file}.tmp`, file);
}
