import { type RequestPlan, sentUrl, urlQuery } from '../../plan/request-plan.js';
import { fillTemplate } from '../../spec/template.js';

// A request's URL as Collection v2.1 keeps it: the raw template, and its parts as Postman's own
// parser (postman-url-encoder, which the postman-collection SDK and Newman use) splits it, so the
// app shows the path variables and query parameters in their tables and a runner sends what the
// raw URL says. test/targets/postman/sdk-reads-collections.test.ts holds it to the SDK's parse.

type Json = Record<string, unknown>;

function description(content: string): Json {
  return content ? { description: { content, type: 'text/markdown' } } : {};
}

/** The parts of a URL template: the parser's order of cuts (hash, query, protocol, path, port, host). */
function urlParts(raw: string): {
  protocol?: string;
  host?: string[];
  port?: string;
  path?: string[];
} {
  // Each {{Variable}} masked with as many underscores, so every index found is one in `raw`.
  const masked = fillTemplate(raw, (variable) => '_'.repeat(variable.length));
  let end = masked.indexOf('#');
  if (end < 0) end = masked.length;
  const parts: ReturnType<typeof urlParts> = {};
  const question = masked.indexOf('?');
  // The query string is the plan's to list (urlQuery); the parts end before it.
  if (question >= 0 && question < end) end = question;
  let start = 0;
  const scheme = masked.indexOf('://');
  if (scheme >= 0 && scheme < end) {
    parts.protocol = raw.slice(0, scheme);
    start = scheme + 3;
    while (masked[start] === '/') start++;
  }
  const slash = masked.indexOf('/', start);
  if (slash >= 0 && slash < end) {
    parts.path = raw.slice(slash + 1, end).split('/');
    end = slash;
  }
  const colon = masked.lastIndexOf(':', end - 1);
  if (end > start && colon >= start && !masked.slice(colon + 1, end).includes(']')) {
    parts.port = raw.slice(colon + 1, end);
    end = colon;
  }
  if (end > start) {
    // A host's dots split it into labels, except within a variable.
    const labels: string[] = [];
    let from = start;
    for (let at = masked.indexOf('.', from); at >= 0 && at < end; at = masked.indexOf('.', from)) {
      labels.push(raw.slice(from, at));
      from = at + 1;
    }
    labels.push(raw.slice(from, end));
    parts.host = labels;
  }
  return parts;
}

/**
 * The URL object of a request: `raw` as sent (the query parameters that are sent in it), the
 * query parameters that are not sent listed `disabled`, the path variables with their values.
 */
export function postmanUrl(request: RequestPlan): Json {
  const parts = urlParts(sentUrl(request));
  const query = [...urlQuery(request.url), ...request.query].map(
    ({ name, value, description: text, enabled }) => ({
      key: name,
      value,
      ...description(text),
      ...(enabled ? {} : { disabled: true }),
    }),
  );
  const variable = request.pathVariables.map(({ name, value, description: text }) => ({
    key: name,
    value,
    ...description(text),
  }));
  return {
    raw: sentUrl(request),
    ...(parts.protocol !== undefined ? { protocol: parts.protocol } : {}),
    ...(parts.host ? { host: parts.host } : {}),
    ...(parts.port !== undefined ? { port: parts.port } : {}),
    ...(parts.path ? { path: parts.path } : {}),
    ...(query.length ? { query } : {}),
    ...(variable.length ? { variable } : {}),
  };
}
