import { mergeToken } from './merge-token.js';
import type { Problem } from './problem.js';
import { isSecretName } from './secret-names.js';
import { SPEC_DEFAULTS } from './spec-defaults.js';
import type { TokenmanSpec } from './spec-input.generated.js';
import { type PointAt, pathLabel, type SpecPath, type SpecSource } from './spec-source.js';
import { fillTemplate, templateReferences } from './template.js';
import { grantParams } from './token-params.js';

// A spec is copied into the collection, the environment and the docs in dist/, which are committed
// and shared: a secret written into it is handed to everyone who gets them. And a secret in a URL
// is printed by Newman's cli reporter on every run and written to proxies' and servers' logs.

/** Token fields that hold a secret, with what a spec writes instead. */
const SECRET_TOKEN_FIELDS = {
  clientSecret:
    'declare a secret variable (ClientSecret: { secret: true }) and write "{{ClientSecret}}"; each user enters the value in their environment',
  password:
    'declare a secret variable (Password: { secret: true }) and write "{{Password}}"; each user enters the value in their environment',
  refreshToken:
    'write "{{RefreshToken}}", the refresh token tokenman keeps, or declare a secret variable and write its {{Name}}',
  subjectToken:
    'declare a secret variable (SubjectToken: { secret: true }) and write "{{SubjectToken}}"; each user enters the value in their environment',
  apiKey:
    'declare a secret variable (ApiKey: { secret: true }) and write "{{ApiKey}}"; each user enters the value in their environment',
  assertion:
    'declare a secret variable (Assertion: { secret: true }) and write "{{Assertion}}"; each user enters the value in their environment',
} as const;

/** Assertion and client certificate fields that hold a secret: the private key. */
const SECRET_ASSERTION_FIELDS = {
  key: 'declare a secret variable (PrivateKey: { secret: true }) and write "{{PrivateKey}}"; each user pastes the PEM private key into their environment',
} as const;

/** A string of the spec Postman substitutes variables in (check-semantics' templateStrings). */
export interface SpecString {
  text: string;
  path: SpecPath;
  key?: boolean;
}

/** The text of a template outside its `{{Variable}}` references: what is written out. */
function writtenOut(template: string): string {
  return fillTemplate(template, () => '').trim();
}

/**
 * Secrets written into a spec (errors: a client secret, password or refresh token, a password in a
 * URL), values written out under a name that says they are secret (warnings: the name is a guess),
 * and secrets sent in a URL (warnings: some vendors take them no other way).
 */
export function checkSecrets(
  input: TokenmanSpec,
  source: SpecSource,
  strings: Iterable<SpecString>,
): Problem[] {
  const problems: Problem[] = [];
  const isSecretVariable = (name: string) => input.variables[name]?.secret === true;

  for (const string of strings) {
    const { text, path } = string;
    // A JSON body's keys and values are data: a "url" or "headers" key in it is not one.
    if (string.key || (path[0] === 'requests' && path[2] === 'json')) continue;
    const label = pathLabel(path);
    const last = path[path.length - 1];
    const parent = path[path.length - 2];

    const secretField =
      parent === 'token' && typeof last === 'string' && Object.hasOwn(SECRET_TOKEN_FIELDS, last)
        ? SECRET_TOKEN_FIELDS[last as keyof typeof SECRET_TOKEN_FIELDS]
        : (parent === 'assertion' || parent === 'clientCertificate') &&
            typeof last === 'string' &&
            Object.hasOwn(SECRET_ASSERTION_FIELDS, last)
          ? SECRET_ASSERTION_FIELDS[last as keyof typeof SECRET_ASSERTION_FIELDS]
          : undefined;
    if (secretField !== undefined) {
      if (writtenOut(text) !== '') {
        problems.push(
          masked(
            source.problem(
              {
                ruleId: 'secret-written-out',
                message: `${label} is written out in the spec, which is copied into dist/ for everyone who gets the collection`,
                hint: secretField,
              },
              { path },
            ),
          ),
        );
      }
    } else if ((parent === 'params' || parent === 'headers') && typeof last === 'string') {
      if (isSecretName(last) && text.trim() !== '' && templateReferences(text).length === 0) {
        problems.push(masked(literalSecretName(source, label, { path })));
      }
    } else if (last === 'url' || (last === 'discovery' && path[path.length - 2] === 'token')) {
      problems.push(...checkUrlSecrets(text, path, source, isSecretVariable));
    }
  }
  problems.push(...checkQueryEncoding(input, source, isSecretVariable));
  return problems;
}

function literalSecretName(source: SpecSource, label: string, at: PointAt): Problem {
  return source.problem(
    {
      ruleId: 'secret-name-written-out',
      severity: 'warning',
      message: `${label} is written out, and its name says it is a secret; the spec is copied into dist/ for everyone who gets the collection`,
      hint: 'if it is a secret, declare a secret variable and write its {{Name}} here; if every user sends this same value, it is not one',
    },
    at,
  );
}

/** Where a URL template has a password before the host, a secret-named query value, or a secret variable. */
function checkUrlSecrets(
  text: string,
  path: SpecPath,
  source: SpecSource,
  isSecretVariable: (name: string) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  const label = pathLabel(path);
  const beforeFragment = text.split('#')[0] ?? '';
  const queryAt = beforeFragment.indexOf('?');
  const beforeQuery = queryAt < 0 ? beforeFragment : beforeFragment.slice(0, queryAt);

  // `https://user:password@host/…`: written before a host the spec writes out itself.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(beforeQuery)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const password = colon < 0 ? '' : userinfo.slice(colon + 1);
    if (writtenOut(password) !== '') {
      const isToken = path[path.length - 2] === 'token';
      problems.push(
        masked(
          source.problem(
            {
              ruleId: 'secret-written-out',
              message: `${label} has a password written before the host (user:password@), which is copied into dist/ and printed with every request URL`,
              hint: isToken
                ? 'remove user:password@; with clientAuth: basic tokenman sends clientId and clientSecret in an Authorization header (declare a secret variable and write clientSecret: "{{ClientSecret}}")'
                : 'remove user:password@; if the API needs a credential besides the token, declare a secret variable and send it in a header as {{Name}}',
            },
            {
              path,
              substring: {
                text: password,
                occurrence: occurrencesBefore(text, password, text.indexOf('://') + 3 + colon + 1),
              },
            },
          ),
        ),
      );
    }
  }

  // Query values written out under a secret name (`?api_key=abc`), as for params and headers.
  if (queryAt >= 0) {
    let pairAt = queryAt + 1;
    for (const pair of beforeFragment.slice(queryAt + 1).split('&')) {
      const start = pairAt;
      pairAt += pair.length + 1;
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = safeDecode(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      if (isSecretName(name) && value.trim() !== '' && templateReferences(value).length === 0) {
        const at: PointAt = {
          path,
          substring: { text: value, occurrence: occurrencesBefore(text, value, start + eq + 1) },
        };
        problems.push(masked(literalSecretName(source, `the ${name} query parameter of ${label}`, at)));
      }
    }
  }

  // A secret variable anywhere in a URL ends up in the printed URL.
  const seen = new Map<string, number>();
  for (const ref of templateReferences(text)) {
    const occurrence = seen.get(ref.name) ?? 0;
    seen.set(ref.name, occurrence + 1);
    if (!isSecretVariable(ref.name)) continue;
    problems.push(
      source.problem(
        {
          ruleId: 'secret-in-url',
          severity: 'warning',
          message: `${label} puts secret variable "${ref.name}" in the URL, which Newman's cli reporter prints on every run and proxies and servers log`,
          hint: 'send it in a header or the body if the vendor accepts that',
        },
        { path, substring: { text: `{{${ref.name}}}`, occurrence } },
      ),
    );
  }
  return problems;
}

/**
 * A token request with encoding query (the XSUAA collection style: GET, or POST with every
 * parameter in the URL) that sends a client secret, password, refresh token or secret variable.
 */
function checkQueryEncoding(
  input: TokenmanSpec,
  source: SpecSource,
  isSecretVariable: (name: string) => boolean,
): Problem[] {
  const sections: Array<{ path: SpecPath; token: TokenmanSpec['token'] | undefined }> = input.variants
    ? Object.entries(input.variants).map(([key, variant]) => ({
        path: ['variants', key, 'token'],
        token: variant.token,
      }))
    : [{ path: ['token'], token: undefined }];
  // One warning per place that chose the query, naming what any variant sends there.
  const found = new Map<string, { at: SpecPath; fields: string[] }>();
  for (const section of sections) {
    const { token, origin } = mergeToken(input.token, ['token'], section.token, section.path);
    if (token.grant === undefined) continue;
    const encoding = token.encoding ?? (token.method === 'GET' ? SPEC_DEFAULTS.getEncoding : undefined);
    if (encoding !== 'query') continue;
    const at = origin.get(token.encoding !== undefined ? 'encoding' : 'method');
    if (!at) continue;
    // What the token request sends, as every client sends it, from the fields as written: the
    // normalized token does not exist before validation ends.
    const sent = grantParams({
      grant: token.grant,
      clientAuth: token.clientAuth ?? SPEC_DEFAULTS.clientAuth,
      clientId: token.clientId ?? '',
      clientSecret: token.clientSecret ?? '',
      username: token.username ?? '',
      password: token.password ?? '',
      refreshToken: token.refreshToken ?? '',
      assertion: typeof token.assertion === 'string' ? { source: 'variable', value: token.assertion } : null,
      subjectToken: token.subjectToken ?? '',
      subjectTokenType: token.subjectTokenType ?? '',
      apiKey: token.apiKey ?? '',
      scope: token.scope ?? '',
      params: Object.entries(token.params ?? {}),
    });
    const secret = sent
      .filter(
        ([name, value]) =>
          isSecretName(name) || templateReferences(value).some((r) => isSecretVariable(r.name)),
      )
      .map(([name]) => name);
    if (!secret.length) continue;
    const id = JSON.stringify(at);
    const entry = found.get(id) ?? { at, fields: [] };
    for (const name of secret) if (!entry.fields.includes(name)) entry.fields.push(name);
    found.set(id, entry);
  }
  return [...found.values()].map(({ at, fields }) =>
    source.problem(
      {
        ruleId: 'secret-in-url',
        severity: 'warning',
        message: `the token request sends ${listed(fields)} in the URL query (${at[at.length - 1] === 'encoding' ? 'encoding "query"' : 'method GET'}), which Newman's cli reporter prints on every run and proxies and servers log`,
        hint:
          at[at.length - 1] === 'encoding'
            ? 'if the vendor accepts it, use encoding: urlencoded, which sends them in the body'
            : 'if the vendor accepts it, remove method: GET; a POST sends them urlencoded in the body',
      },
      { path: at, key: true },
    ),
  );
}

/** A problem about a written-out secret: its own span is one a code frame must not show. */
function masked(problem: Problem): Problem {
  if (!problem.position || !problem.end) return problem;
  return { ...problem, masks: [{ start: problem.position, end: problem.end }] };
}

/**
 * Every problem of the file with every span that holds a written-out secret: a frame shows the line
 * before its own too, and that line may be another problem's secret.
 */
export function shareSecretMasks(problems: Problem[]): Problem[] {
  const masks = problems.flatMap((p) => p.masks ?? []);
  return masks.length ? problems.map((p) => ({ ...p, masks })) : problems;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(words: string[]): string {
  return words.length > 1
    ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
    : (words[0] ?? '');
}

function occurrencesBefore(text: string, needle: string, index: number): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < index; i = text.indexOf(needle, i + 1)) count++;
  return count;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
