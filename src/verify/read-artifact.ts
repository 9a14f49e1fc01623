import { access, readFile } from 'node:fs/promises';
import type { Problem } from '../spec/problem.js';

function artifactProblem(file: string, error: unknown): Problem {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON';
  return {
    ruleId: 'missing-artifact',
    severity: 'error',
    message: `${file} ${reason}; run tokenman build first`,
    file,
  };
}

/** A generated file verify runs, or a problem saying it is missing or damaged. */
export async function readArtifact<T>(file: string): Promise<T | Problem> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    return artifactProblem(file, error);
  }
}

/**
 * A problem when a generated file is missing, without reading it: verify checks every file before
 * running any, and reads each only when its run starts.
 */
export async function checkArtifact(file: string): Promise<Problem | undefined> {
  try {
    await access(file);
    return undefined;
  } catch (error) {
    return artifactProblem(file, error);
  }
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'ruleId' in value && 'severity' in value;
}
