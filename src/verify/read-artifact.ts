import { readFile } from 'node:fs/promises';
import type { Problem } from '../spec/problem.js';

/** A generated file verify runs, or a problem saying it is missing or damaged. */
export async function readArtifact<T>(file: string): Promise<T | Problem> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON';
    return {
      ruleId: 'missing-artifact',
      severity: 'error',
      message: `${file} ${reason}; run tokenman build first`,
      file,
    };
  }
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'ruleId' in value && 'severity' in value;
}
