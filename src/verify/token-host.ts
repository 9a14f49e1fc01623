import type { EnvironmentJson } from '../targets/postman/generate-environment.js';

const VARIABLE = /\{\{([^{}]+)\}\}/g;

/**
 * The host (with port) a run sends its token requests to: the variant's token URL resolved with the
 * filled environment, as Newman will resolve it. Runs are capped per host, so a vendor's one tenant
 * never sees more token requests at once than the cap. A URL that does not resolve to one keeps its
 * text as the key: such runs share a cap, and fail on their own when they run.
 */
export function tokenHost(tokenUrl: string, environment: EnvironmentJson): string {
  const values = new Map(environment.values.map((entry) => [entry.key, entry.value]));
  let url = tokenUrl;
  // A value may itself name a variable ({{AuthUrl}} = {{BaseUrl}}/uaa); Postman resolves a few levels.
  for (let depth = 0; depth < 4 && url.includes('{{'); depth += 1) {
    url = url.replace(VARIABLE, (_, name: string) => values.get(name) ?? '');
  }
  try {
    return new URL(url.trim()).host.toLowerCase();
  } catch {
    return url;
  }
}
