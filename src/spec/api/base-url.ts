// Where the operations' paths start when the spec does not say (`api.baseUrl`): the document's first
// server, its scheme and host in a variable a user points elsewhere (their tenant, a test server),
// its path kept: `https://api.example.com/v2` becomes `{{ApiUrl}}/v2`, ApiUrl defaulting to
// `https://api.example.com`.
import { asRecord } from './list-operations.js';

/** The variable that holds the scheme and host of the default base URL. */
export const API_URL_VARIABLE = 'ApiUrl';

export interface DefaultBaseUrl {
  /** A template starting with `{{ApiUrl}}`. */
  baseUrl: string;
  /** ApiUrl's default: the server's scheme and host; '' when the document names none. */
  origin: string;
}

export function defaultBaseUrl(document: Record<string, unknown>): DefaultBaseUrl {
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const server = asRecord(servers[0]);
  const url =
    typeof server?.url === 'string' ? withVariableDefaults(server.url, asRecord(server.variables)) : '';
  const absolute = /^([a-z][a-z0-9+.-]*:)?\/\/[^/]*/i.exec(url);
  const origin = absolute ? absolute[0] : '';
  const rest = url.slice(origin.length).replace(/\/+$/, '');
  const path = rest === '' || rest.startsWith('/') ? rest : `/${rest}`;
  return {
    baseUrl: `{{${API_URL_VARIABLE}}}${path}`,
    origin: origin.startsWith('//') ? `https:${origin}` : origin,
  };
}

/** A server URL with each `{variable}` given its default (`https://{region}.example.com`). */
function withVariableDefaults(url: string, variables: Record<string, unknown> | undefined): string {
  return url.replace(/\{([^}]*)\}/g, (whole, name: string) => {
    const fallback = asRecord(variables?.[name])?.default;
    return typeof fallback === 'string' || typeof fallback === 'number' ? String(fallback) : whole;
  });
}
