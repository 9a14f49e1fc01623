import type { Assertion, TokenmanSpec, TokenRequest } from '../spec/spec-input.generated.js';
import { templateReferences } from '../spec/template.js';
import { CLIENT_ASSERTION_TYPE, JWT_BEARER_GRANT } from '../spec/types.js';
import {
  CLIENT_AUTHS,
  type ClientAuth,
  ENCODINGS,
  type Encoding,
  GRANT_WORDS,
  GRANTS,
  type Grant,
} from './init-choices.js';
import {
  CERTIFICATE_HOME,
  fail,
  type PastedField,
  type PastedRequest,
  type PasteProblem,
} from './pasted-request.js';
import { readJwtHeader } from './read-jwt-header.js';
import {
  headerRole,
  PATH_ROLE,
  parameterRole,
  pascalCase,
  ROLES,
  type Role,
  VariableBook,
} from './variable-book.js';

// From what a token request sends to the spec that sends it: the host becomes a variable users
// point at their tenant, credentials become variables (secrets never keep a value), and grant,
// client authentication and encoding are read off the request the way the token script will
// send it again.

export type { ClientAuth, Encoding, Grant };
export { CLIENT_AUTHS, ENCODINGS, GRANT_WORDS, GRANTS };

/** What the user chose; each overrides what the command says. */
export interface InitChoices {
  name: string;
  grant?: Grant;
  clientAuth?: ClientAuth;
  encoding?: Encoding;
  scope?: string;
}

export interface InferredSpec {
  spec: TokenmanSpec;
  /** What was assumed, left out or ignored, for the user to check. */
  notes: string[];
  /** Each variable made from a placeholder (`<clientid>`, `${CLIENT_ID}`), and that placeholder. */
  placeholders: Record<string, string>;
}

export type InferResult = { ok: true; value: InferredSpec } | { ok: false; problem: PasteProblem };

const SOURCE_LABEL = { curl: 'the pasted command', HTTPie: 'the pasted command', options: '--url' } as const;

// Headers the encoding or the client authentication implies, or that only describe the client.
const IMPLIED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'accept-encoding',
  'connection',
  'user-agent',
]);

const PARAMETER_FIELDS = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'username',
  'password',
  'scope',
  'refresh_token',
]);

export function inferSpec(request: PastedRequest, choices: InitChoices): InferResult {
  // Built from options, nothing was "in the command" to remark on.
  const fromCommand = request.tool !== 'options';
  const book = new VariableBook(SOURCE_LABEL[request.tool], fromCommand);
  const notes = [...request.notes];

  const method = request.dataInQuery ? 'GET' : (request.method ?? 'POST');
  if (method !== 'POST' && method !== 'GET') {
    return fail(
      `a token request is a POST (or a GET), not ${method}`,
      request.urlAt,
      'remove -X, or use -X POST',
    );
  }

  const split = splitUrl(request.url);
  if (!split) {
    return fail(
      'the URL does not start with http:// or https://',
      request.urlAt,
      'write the full token endpoint URL, or a $VARIABLE or <placeholder> for its host',
    );
  }
  const fields = bodyFields(request);
  if ('problem' in fields) return { ok: false, problem: fields.problem };
  let { list } = fields;
  let encoding: Encoding | undefined = fields.encoding;
  let query = split.query;
  // Everything in the query of a POST with no body (`…/token?grant_type=…`) is the token request.
  if (request.body.kind === 'none' && query.has('grant_type')) {
    list = [...query].map(([name, value]) => ({ name, value, at: request.urlAt }));
    query = new URLSearchParams();
    if (method === 'POST') encoding = 'query';
  }
  const url = `${book.base(split.base.text, split.base.role)}${book.template(split.path, PATH_ROLE)}${queryTemplate(query, book)}`;

  const byName = new Map<string, PastedField>();
  for (const field of list) byName.set(field.name, field);

  // The grant first: the jwt-bearer grant's assertion names the client, so it needs no client auth.
  const grantField = byName.get('grant_type');
  let grant = choices.grant;
  if (!grant && grantField) {
    if (!GRANTS.includes(grantField.value as Grant)) {
      return fail(
        `grant_type ${JSON.stringify(grantField.value)} is not one tokenman can run unattended`,
        grantField.at,
        `tokenman supports ${GRANTS.join(', ')}`,
      );
    }
    grant = grantField.value as Grant;
  }
  if (!grant) {
    grant = byName.has('username') ? 'password' : 'client_credentials';
    if (fromCommand) notes.push(`the command sends no grant_type; assumed ${grant} (--grant to change)`);
  }
  const bearer = grant === JWT_BEARER_GRANT;

  // Client credentials: -u / Authorization: Basic, a signed client assertion, the body, or a
  // client certificate at the TLS layer.
  const basic = basicCredentials(request, split.userinfo, notes);
  const clientIdValue = basic?.id ?? byName.get('client_id')?.value;
  const clientSecretValue = basic?.secret ?? byName.get('client_secret')?.value;
  const clientAssertion =
    byName.get('client_assertion_type')?.value === CLIENT_ASSERTION_TYPE
      ? byName.get('client_assertion')
      : undefined;
  const clientAuth: ClientAuth =
    choices.clientAuth ??
    (basic
      ? 'basic'
      : clientAssertion
        ? readJwtHeader(clientAssertion.value)?.alg === 'HS256'
          ? 'client_secret_jwt'
          : 'private_key_jwt'
        : clientSecretValue !== undefined
          ? 'body'
          : request.clientCertificate
            ? 'tls'
            : clientIdValue !== undefined || bearer
              ? 'none'
              : 'basic');
  if (fromCommand && !choices.clientAuth && clientAuth === 'basic' && !basic) {
    notes.push(
      'the command sends no client id; assumed HTTP Basic client authentication (--client-auth to change)',
    );
  }
  const signsClientAssertion = clientAuth === 'private_key_jwt' || clientAuth === 'client_secret_jwt';

  const token: TokenRequest = { url };
  if (method === 'GET') token.method = 'GET';
  token.grant = grant;
  token.clientAuth = clientAuth;
  const chosenEncoding = choices.encoding ?? encoding;
  if (
    chosenEncoding &&
    chosenEncoding !== 'urlencoded' &&
    !(method === 'GET' && chosenEncoding === 'query')
  ) {
    token.encoding = chosenEncoding;
  }

  // The jwt-bearer grant's assertion says who the client is; a client id is written only if sent.
  if (!bearer || clientIdValue !== undefined || clientAuth !== 'none') {
    token.clientId = book.value(clientIdValue, ROLES.clientId);
  }
  const sendsSecret = clientAuth === 'basic' || clientAuth === 'body' || clientAuth === 'client_secret_jwt';
  if (sendsSecret) token.clientSecret = book.value(clientSecretValue, ROLES.clientSecret);
  else if (clientSecretValue !== undefined) {
    notes.push(
      clientAuth === 'none'
        ? 'left out the client secret: with client authentication none, a public client sends none'
        : `left out the client secret: with client authentication ${clientAuth}, the client sends none`,
    );
  }
  if (clientAuth === 'tls') {
    // Variables, so tokenman verify and a filled environment can carry the user's certificate; the
    // files a command named are each user's own and never written.
    token.clientCertificate = {
      certificate: book.needed(ROLES.clientCertificate),
      key: book.needed(ROLES.clientKey),
    };
    if (!request.clientCertificate) {
      notes.push(
        `client authentication tls sends a client certificate at the TLS layer: ${CERTIFICATE_HOME}`,
      );
    }
  }
  if (signsClientAssertion) {
    token.assertion = signedAssertion(clientAuth, clientAssertion, 'client_assertion', book, notes);
  } else if (bearer) {
    const assertion = signedAssertion(clientAuth, byName.get('assertion'), 'assertion', book, notes);
    if (token.clientId === undefined) assertion.issuer = book.needed(ROLES.issuer);
    token.assertion = assertion;
    notes.push(
      'the assertion may need subject, audience or scope claims (Salesforce: subject, the user; Google: scope); add them under token.assertion',
    );
  }

  if (grant === 'password') {
    token.username = book.value(byName.get('username')?.value, ROLES.username);
    token.password = book.value(byName.get('password')?.value, ROLES.password);
  }
  if (grant === 'refresh_token') {
    token.refreshToken = '{{RefreshToken}}';
    if (byName.has('refresh_token')) {
      notes.push(
        "the command's refresh token was not written: the token script keeps it in {{RefreshToken}}",
      );
    }
  }
  const scope = choices.scope ?? byName.get('scope')?.value;
  if (scope) token.scope = book.template(scope, ROLES.scope);

  // The assertion fields the token script now makes itself.
  const signed = new Set<string>(
    signsClientAssertion ? ['client_assertion', 'client_assertion_type'] : bearer ? ['assertion'] : [],
  );
  const params: Record<string, string> = {};
  for (const field of list) {
    if (PARAMETER_FIELDS.has(field.name) || signed.has(field.name)) continue;
    params[field.name] = book.template(field.value, parameterRole(field.name));
  }
  if (Object.keys(params).length) token.params = params;

  const headers: Record<string, string> = {};
  for (const header of request.headers) {
    const lower = header.name.toLowerCase();
    if (IMPLIED_HEADERS.has(lower) || lower === 'authorization') continue;
    if (lower === 'cookie') {
      notes.push('left out the Cookie header: a token request should not depend on a browser session');
      continue;
    }
    headers[header.name] = book.template(header.value, headerRole(header.name));
  }
  if (Object.keys(headers).length) token.headers = headers;
  if (request.insecure) token.insecure = true;

  const from =
    request.tool === 'options'
      ? 'its options'
      : request.tool === 'curl'
        ? 'a curl command'
        : 'an HTTPie command';
  const spec: TokenmanSpec = {
    name: choices.name,
    description: `Created by tokenman init from ${from}.\nSay here which API this is and where its users find their credentials.\n`,
    variables: book.variables,
    token,
  };
  return { ok: true, value: { spec, notes: [...notes, ...book.notes], placeholders: book.placeholders } };
}

/**
 * The assertion the token script signs in place of the pasted one: its private key a secret
 * variable; alg, kid and thumbprint read off a pasted JWT's header. The pasted JWT itself (and
 * its payload) is never written: it may still be valid.
 */
function signedAssertion(
  clientAuth: ClientAuth,
  pasted: PastedField | undefined,
  name: string,
  book: VariableBook,
  notes: string[],
): Exclude<Assertion, string> {
  const header = pasted ? readJwtHeader(pasted.value) : undefined;
  const assertion: Exclude<Assertion, string> = {};
  if (clientAuth === 'client_secret_jwt') {
    // Signed with the client secret (HS256, the default): no key of its own.
    if (pasted) {
      notes.push(`the pasted ${name} was not written: the token script signs a new one with ClientSecret`);
    }
    return assertion;
  }
  if (header?.alg && header.alg !== 'HS256') assertion.alg = header.alg;
  assertion.key = book.needed(ROLES.privateKey);
  if (header?.kid) assertion.kid = book.template(header.kid, ROLES.keyId);
  if (header?.thumbprint) {
    assertion.certificate = book.needed(ROLES.certificate);
    if (header.thumbprint === 'x5t') assertion.thumbprint = 'x5t';
  }
  const signs = `the token script signs a new one for each token with PrivateKey, a secret variable holding the PEM private key`;
  if (!pasted) {
    notes.push(`added the ${name} (RS256; set assertion.alg for PS256 or ES256): ${signs}`);
  } else {
    const read = header
      ? `alg${header.kid ? ', kid' : ''}${header.thumbprint ? ', certificate thumbprint' : ''} read from its header`
      : 'not a JWT, so RS256 is assumed; set assertion.alg for PS256 or ES256';
    notes.push(`the pasted ${name} was not written (${read}): ${signs}`);
  }
  return assertion;
}

/**
 * The query a token URL keeps (beside a body), each value read like a field of its name, so a secret
 * in it is left out too; the literal parts encoded, the {{Variables}} as they are.
 */
function encodeOutsideTemplates(template: string): string {
  let out = '';
  let at = 0;
  for (const ref of templateReferences(template)) {
    out +=
      encodeURIComponent(template.slice(at, ref.index)) + template.slice(ref.index, ref.index + ref.length);
    at = ref.index + ref.length;
  }
  return out + encodeURIComponent(template.slice(at));
}

function queryTemplate(query: URLSearchParams, book: VariableBook): string {
  const pairs = [...query].map(([name, value]) => {
    const template = book.template(value, fieldRole(name));
    // The literal parts are encoded, the {{Variables}} kept as they are.
    const encoded = encodeOutsideTemplates(template);
    return `${encodeURIComponent(name)}=${encoded}`;
  });
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** The role of a token request field by its OAuth name. */
function fieldRole(name: string): Role {
  const roles: Record<string, Role> = {
    client_id: ROLES.clientId,
    client_secret: ROLES.clientSecret,
    username: ROLES.username,
    password: ROLES.password,
    scope: ROLES.scope,
  };
  return roles[name] ?? parameterRole(name);
}

const HOST_ROLE = { variable: 'AuthUrl', description: 'Base URL of the token endpoint' };

interface SplitUrl {
  /** `id:secret` written before the host. */
  userinfo?: string;
  base: { text: string; role: { variable: string; description: string } };
  path: string;
  query: URLSearchParams;
}

/** `https://host[:port]` or a leading placeholder is the base users point at their tenant. */
function splitUrl(url: string): SplitUrl | undefined {
  const hash = url.indexOf('#');
  const withoutHash = hash === -1 ? url : url.slice(0, hash);
  const questionMark = withoutHash.indexOf('?');
  const beforeQuery = questionMark === -1 ? withoutHash : withoutHash.slice(0, questionMark);
  const query = new URLSearchParams(questionMark === -1 ? '' : withoutHash.slice(questionMark + 1));
  // `https://id:secret@host` is how curl also takes Basic credentials; they never join the host.
  const origin = /^(https?:\/\/)(?:([^/@]*)@)?([^/]+)/i.exec(beforeQuery);
  if (origin) {
    return {
      base: { text: `${origin[1]}${origin[3]}`, role: HOST_ROLE },
      path: beforeQuery.slice(origin[0].length),
      query,
      ...(origin[2] !== undefined ? { userinfo: origin[2] } : {}),
    };
  }
  const leading =
    /^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[A-Za-z][A-Za-z0-9_]*\}\}|<[^<>]+>|\{[^{}]+\}|%[A-Za-z_][A-Za-z0-9_]*%)/.exec(
      beforeQuery,
    );
  if (!leading) return undefined;
  const text = leading[0];
  const name = text.replace(/^\$\{|^\{\{|^[<{%]|\}\}$|[>}%]$/g, '');
  return {
    base: { text, role: { variable: pascalOrDefault(name), description: HOST_ROLE.description } },
    path: beforeQuery.slice(text.length),
    query,
  };
}

function pascalOrDefault(name: string): string {
  return pascalCase(name) || HOST_ROLE.variable;
}

type FieldsResult = { list: PastedField[]; encoding?: Encoding } | { problem: PasteProblem };

// A parameter name has none of these; one that does is a misread (a JSON body in quotes the
// splitter did not know), and is refused rather than written as a name.
const NOT_A_NAME = /[\s"'{}$<>`\\]/;

function bodyFields(request: PastedRequest): FieldsResult {
  const fields = allBodyFields(request);
  if ('problem' in fields) return fields;
  const odd = fields.list.find((field) => field.name === '' || NOT_A_NAME.test(field.name));
  if (odd) {
    return {
      problem: {
        message:
          'the data has a parameter whose name is not a name (empty, or with quotes, braces or spaces)',
        hint: 'check the quoting of the data; tokenman reads name=value pairs or a JSON object',
        at: odd.at,
      },
    };
  }
  return fields;
}

function allBodyFields(request: PastedRequest): FieldsResult {
  const { body } = request;
  if (body.kind === 'none') return { list: [] };
  if (body.kind !== 'json')
    return body.kind === 'form-data' ? { list: body.fields, encoding: 'form-data' } : { list: body.fields };
  const value = body.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: { message: 'the JSON body is not an object of token parameters', at: body.at } };
  }
  const list: PastedField[] = [];
  for (const [name, item] of Object.entries(value)) {
    if (item === null) continue;
    if (typeof item === 'object') {
      return {
        problem: {
          message: `the JSON body's ${JSON.stringify(name)} is ${Array.isArray(item) ? 'an array' : 'an object'}; token parameters are strings`,
          hint: 'write it as a string',
          at: body.at,
        },
      };
    }
    list.push({ name, value: String(item), at: body.at });
  }
  return { list, encoding: 'json' };
}

type Basic = { id?: string; secret?: string } | undefined;

function basicCredentials(request: PastedRequest, userinfo: string | undefined, notes: string[]): Basic {
  if (request.basicUser) {
    const { value } = request.basicUser;
    const colon = value.indexOf(':');
    if (colon === -1) {
      notes.push('-u gives no secret (curl would ask for it); ClientSecret is a secret variable to fill');
      return { id: value };
    }
    return { id: value.slice(0, colon), secret: value.slice(colon + 1) };
  }
  const authorization = request.headers.find((h) => h.name.toLowerCase() === 'authorization');
  if (!authorization && userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    };
    return colon === -1
      ? { id: decode(userinfo) }
      : { id: decode(userinfo.slice(0, colon)), secret: decode(userinfo.slice(colon + 1)) };
  }
  if (!authorization) return undefined;
  const [scheme = '', credentials = ''] = authorization.value.split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') {
    notes.push(
      `left out the Authorization: ${scheme} header: a token request sends client credentials, not a token`,
    );
    return undefined;
  }
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(credentials)
    ? Buffer.from(credentials, 'base64').toString('utf8')
    : '';
  const colon = decoded.indexOf(':');
  if (colon === -1) {
    notes.push(
      'the Authorization: Basic header is not base64 of id:secret; ClientId and ClientSecret are variables to fill',
    );
    return {};
  }
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
