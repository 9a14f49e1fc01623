import { checkApiSources } from './check-api-sources.js';
import { checkCredentials, type Finding } from './check-credentials.js';
import { checkEnvironmentNames } from './check-environment-names.js';
import { checkSecrets, type SpecString, shareSecretMasks } from './check-secrets.js';
import { didYouMean } from './did-you-mean.js';
import { mergeToken } from './merge-token.js';
import type { Problem } from './problem.js';
import { RESERVED_VARIABLES } from './reserved-variables.js';
import { SPEC_DEFAULTS } from './spec-defaults.js';
import type { TokenmanSpec, TokenRequest } from './spec-input.generated.js';
import { type PointAt, pathLabel, type SpecPath, type SpecSource } from './spec-source.js';
import { fillTemplate, leadingVariable, templateReferences } from './template.js';
import { clientCertificateTemplates, tokenTemplateFields } from './token-templates.js';

/** A template of the spec and where it is; `key` marks a mapping key (a key inside a JSON body). */
interface TemplateString extends SpecString {
  /** `{{RefreshToken}}` is what a refresh_token grant sends, so it may be used there. */
  allowsRefreshToken?: boolean;
}

/** The variants to check, or one unnamed variant standing for the top-level token. */
export function variantEntries(
  input: TokenmanSpec,
): Array<{ key: string; path: SpecPath; token?: TokenRequest }> {
  if (!input.variants) return [{ key: '', path: [] }];
  return Object.entries(input.variants).map(([key, variant]) => ({
    key,
    path: ['variants', key],
    ...(variant.token ? { token: variant.token } : {}),
  }));
}

/** Rules the schema cannot express. Runs only on input that passed the schema. */
export function checkSemantics(input: TokenmanSpec, source: SpecSource): Problem[] {
  const problems: Problem[] = [];
  // A secret given a value: the problem's frame (and every other's) shows *** for the value.
  const pushHidingValue = (problem: Problem, valuePath: SpecPath) => {
    const { position, end } = source.locate({ path: valuePath });
    problems.push(end ? { ...problem, masks: [{ start: position, end }] } : problem);
  };
  const declared = Object.keys(input.variables);
  const isDeclared = (name: string) => Object.hasOwn(input.variables, name);
  const isSecret = (name: string) => input.variables[name]?.secret === true;
  const suggest = (name: string, candidates: readonly string[] = declared) => {
    const match = didYouMean(name, candidates);
    if (match) return `did you mean "${match}"?`;
    return declared.length ? `declared variables: ${declared.join(', ')}` : 'declare it under variables';
  };

  for (const [name, variable] of Object.entries(input.variables)) {
    if (RESERVED_VARIABLES.includes(name)) {
      problems.push(
        source.problem(
          {
            ruleId: 'reserved-variable',
            message: `variable name "${name}" is reserved: tokenman sets ${RESERVED_VARIABLES.join(', ')} itself`,
            hint: `choose another name, such as "Api${name}"`,
          },
          { path: ['variables', name], key: true },
        ),
      );
    }
    if (variable.secret === true && variable.default !== undefined) {
      pushHidingValue(
        source.problem(
          {
            ruleId: 'secret-default',
            message: `secret variable "${name}" must not have a default: tokenman never writes a secret value`,
            hint: 'remove default; each user enters the secret in their own environment',
          },
          { path: ['variables', name, 'default'], key: true },
        ),
        ['variables', name, 'default'],
      );
    }
  }

  for (const [key, variant] of Object.entries(input.variants ?? {})) {
    for (const name of Object.keys(variant.defaults ?? {})) {
      const at: PointAt = { path: ['variants', key, 'defaults', name], key: true };
      if (!isDeclared(name)) {
        problems.push(
          source.problem(
            {
              ruleId: 'undefined-variable',
              message: `variants.${key}.defaults sets undeclared variable "${name}"`,
              hint: suggest(name),
            },
            at,
          ),
        );
      } else if (isSecret(name)) {
        pushHidingValue(
          source.problem(
            {
              ruleId: 'secret-default',
              message: `variants.${key}.defaults sets secret variable "${name}": tokenman never writes a secret value`,
              hint: `remove ${name} from variants.${key}.defaults`,
            },
            at,
          ),
          at.path,
        );
      }
    }
  }

  for (const [index, step] of (input.preSteps ?? []).entries()) {
    if (step.unless !== undefined && !isDeclared(step.unless)) {
      problems.push(
        source.problem(
          {
            ruleId: 'undefined-variable',
            message: `preSteps[${index}].unless names undeclared variable "${step.unless}"`,
            hint: suggest(step.unless),
          },
          { path: ['preSteps', index, 'unless'] },
        ),
      );
    }
    for (const name of Object.keys(step.set)) {
      if (!isDeclared(name)) {
        problems.push(
          source.problem(
            {
              ruleId: 'undefined-variable',
              message: `preSteps[${index}].set stores into undeclared variable "${name}"`,
              hint: suggest(name),
            },
            { path: ['preSteps', index, 'set', name], key: true },
          ),
        );
      }
    }
  }

  // Variable references: every {{Name}} must be declared, or be the token tokenman provides.
  const used = new Set<string>();
  const usable = [...declared, 'Token'];
  for (const template of templateStrings(input)) {
    const seen = new Map<string, number>();
    for (const ref of templateReferences(template.text)) {
      const occurrence = seen.get(ref.name) ?? 0;
      seen.set(ref.name, occurrence + 1);
      used.add(ref.name);
      if (isDeclared(ref.name) || ref.name === 'Token') continue;
      if (ref.name === 'RefreshToken' && template.allowsRefreshToken) continue;
      const at: PointAt = {
        path: template.path,
        ...(template.key ? { key: true } : {}),
        substring: { text: `{{${ref.name}}}`, occurrence },
      };
      const reserved = RESERVED_VARIABLES.includes(ref.name);
      problems.push(
        source.problem(
          reserved
            ? {
                ruleId: 'reserved-variable',
                message: `{{${ref.name}}} in ${pathLabel(template.path)} is tokenman's own variable and cannot be used here`,
                hint: 'a spec may use {{Token}} anywhere, and {{RefreshToken}} in token.refreshToken',
              }
            : {
                ruleId: 'undefined-variable',
                message: `undefined variable "${ref.name}" in ${pathLabel(template.path)}`,
                hint: suggest(ref.name, usable),
              },
          at,
        ),
      );
    }
  }

  for (const template of templateStrings(input)) {
    const last = template.path[template.path.length - 1];
    if (template.key) continue;
    // A "url" key of a JSON body is data the API takes, not a URL tokenman requests.
    if (template.path[0] === 'requests' && template.path[2] === 'json') continue;
    const discovery = last === 'discovery' && template.path[template.path.length - 2] === 'token';
    const baseUrl = last === 'baseUrl' && template.path[0] === 'api';
    if (last !== 'url' && !discovery && !baseUrl) continue;
    const problem = checkUrl(
      template.text,
      template.path,
      source,
      discovery ? DISCOVERY_EXAMPLE : baseUrl ? BASE_URL_EXAMPLE : URL_EXAMPLE,
    );
    if (problem) problems.push(problem);
  }

  problems.push(...checkTokens(input, source));
  problems.push(...checkSecrets(input, source, templateStrings(input)));
  problems.push(...checkEnvironmentNames(input, source));
  problems.push(...checkApiSources(input, source));

  // A variable only a pre-step fills is reported with that step (below), where the fix is.
  const filled = new Set((input.preSteps ?? []).flatMap((step) => Object.keys(step.set)));
  for (const name of declared) {
    if (!used.has(name) && !filled.has(name)) {
      problems.push(
        source.problem(
          {
            ruleId: 'unused-variable',
            severity: 'warning',
            message: `variable "${name}" is declared but never used`,
            hint: `use it as {{${name}}}, or remove it`,
          },
          { path: ['variables', name], key: true },
        ),
      );
    }
  }
  // A variant runs only the steps that fill what it uses (plan/variables-used.ts): a step that fills
  // nothing any request reads is never run, which is worth a word rather than silence.
  (input.preSteps ?? []).forEach((step, index) => {
    const fills = Object.keys(step.set);
    // An undeclared one is an error of its own already.
    if (fills.some((name) => used.has(name) || !declared.includes(name))) return;
    problems.push(
      source.problem(
        {
          ruleId: 'unused-pre-step',
          severity: 'warning',
          message: `pre-step "${step.name}" fills ${fills.join(', ')}, which no request uses, so no variant runs it`,
          hint: `use ${fills.map((name) => `{{${name}}}`).join(' or ')} in the token request or an example request, or remove the step`,
        },
        { path: ['preSteps', index], key: true },
      ),
    );
  });
  return shareSecretMasks(problems);
}

/** Every string Postman substitutes variables in, with where it is. */
function* templateStrings(input: TokenmanSpec): Generator<TemplateString> {
  const tokens: Array<[TokenRequest, SpecPath]> = [[input.token, ['token']]];
  for (const [key, variant] of Object.entries(input.variants ?? {})) {
    if (variant.token) tokens.push([variant.token, ['variants', key, 'token']]);
  }
  for (const [token, path] of tokens) {
    for (const [field, text] of tokenTemplateFields(token)) {
      yield {
        text,
        path: [...path, ...field],
        ...(field[0] === 'refreshToken' ? { allowsRefreshToken: true } : {}),
      };
    }
    for (const [field, text] of clientCertificateTemplates(token)) yield { text, path: [...path, ...field] };
  }
  for (const [index, step] of (input.preSteps ?? []).entries()) {
    yield { text: step.url, path: ['preSteps', index, 'url'] };
    yield* mapValues(step.headers, ['preSteps', index, 'headers']);
  }
  for (const [index, request] of (input.requests ?? []).entries()) {
    yield { text: request.url, path: ['requests', index, 'url'] };
    yield* mapValues(request.headers, ['requests', index, 'headers']);
    if (request.json !== undefined) yield* jsonStrings(request.json, ['requests', index, 'json']);
  }
  if (input.api?.baseUrl !== undefined) yield { text: input.api.baseUrl, path: ['api', 'baseUrl'] };
}

function* mapValues(map: Record<string, string> | undefined, path: SpecPath): Generator<TemplateString> {
  for (const [key, text] of Object.entries(map ?? {})) yield { text, path: [...path, key] };
}

/** Keys and string values anywhere in a JSON body: Postman substitutes in the raw body text. */
function* jsonStrings(value: unknown, path: SpecPath): Generator<TemplateString> {
  if (typeof value === 'string') {
    yield { text: value, path };
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* jsonStrings(item, [...path, index]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield { text: key, path: [...path, key], key: true };
      yield* jsonStrings(item, [...path, key]);
    }
  }
}

/**
 * A URL must start with a scheme or with a variable holding one, and must parse once its variables
 * are replaced by stand-ins: a typo in the fixed part would otherwise surface only in Postman.
 */
const URL_EXAMPLE = 'as in https://login.example.com/oauth/token or {{AuthUrl}}/oauth/token';
const BASE_URL_EXAMPLE = 'as in https://api.example.com/v2 or {{ApiUrl}}/v2';
const DISCOVERY_EXAMPLE =
  'as in https://login.example.com/.well-known/openid-configuration or {{IssuerUrl}}/.well-known/openid-configuration';

function checkUrl(text: string, path: SpecPath, source: SpecSource, example: string): Problem | undefined {
  const label = pathLabel(path);
  if (!/^https?:\/\//i.test(text) && leadingVariable(text) === undefined) {
    const guess = `https://${text.replace(/^[a-z]+:\/*/i, '')}`;
    return source.problem(
      {
        ruleId: 'invalid-url',
        message: `${label} must start with http://, https:// or a {{Variable}} holding the host; got ${JSON.stringify(text)}`,
        hint: canParse(guess) && !/^https?:/i.test(text) ? `did you mean "${guess}"?` : example,
      },
      { path },
    );
  }
  if (!canParse(text)) {
    return source.problem(
      {
        ruleId: 'invalid-url',
        message: `${label} is not a valid URL: ${JSON.stringify(text)}`,
        hint: /\s/.test(text) ? 'a URL cannot contain spaces; remove them or write %20' : example,
      },
      { path },
    );
  }
  return undefined;
}

function canParse(template: string): boolean {
  const concrete = fillTemplate(template, ({ index }) => {
    // A leading variable holds scheme and host; after "host:" it is a port; elsewhere a host label
    // or path part, for which a plain word is valid.
    if (index === 0) return 'https://placeholder';
    if (template[index - 1] === ':' && !/^https?:$/i.test(template.slice(0, index))) return '1';
    return 'placeholder';
  });
  return URL.canParse(concrete);
}

/** Rules about each variant's token request once the variant is merged over the top-level token. */
function checkTokens(input: TokenmanSpec, source: SpecSource): Problem[] {
  const variants = variantEntries(input);
  const findings = new Map<string, { finding: Finding; variants: string[]; paths: SpecPath[] }>();
  const add = (variantKey: string, variantPath: SpecPath, finding: Finding) => {
    const id = JSON.stringify([finding.ruleId, finding.message, finding.at.path]);
    const entry = findings.get(id) ?? { finding, variants: [], paths: [] };
    entry.variants.push(variantKey);
    entry.paths.push(variantPath);
    findings.set(id, entry);
  };

  // The token endpoint is given as url, or read from an OpenID Connect discovery document.
  const hasEndpoint = (token: TokenRequest | undefined) =>
    token?.url !== undefined || token?.discovery !== undefined;
  const requirements = [
    {
      name: 'url',
      words: 'url or discovery',
      isSet: hasEndpoint,
      hint: "the token endpoint, as in url: https://login.example.com/oauth/token, or the issuer's discovery document, as in discovery: https://login.example.com/.well-known/openid-configuration",
    },
    {
      name: 'grant',
      words: 'grant',
      isSet: (token: TokenRequest | undefined) => token?.grant !== undefined,
      hint: 'the OAuth grant, one of client_credentials, password, refresh_token',
    },
  ];
  for (const required of requirements) {
    const setSomewhere = variants.some((v) => required.isSet(v.token));
    if (required.isSet(input.token)) continue;
    if (!setSomewhere) {
      add('', [], {
        ruleId: 'missing-key',
        message: `token is missing required key "${required.name}"${required.name === 'url' ? ' (or "discovery")' : ''}`,
        hint: required.hint,
        at: { path: ['token'], key: true },
      });
      continue;
    }
    for (const variant of variants) {
      if (required.isSet(variant.token)) continue;
      add(variant.key, variant.path, {
        ruleId: 'missing-key',
        message: `variant "${variant.key}" has no token ${required.words}: neither token nor variants.${variant.key}.token sets it`,
        hint: `add ${required.words} to variants.${variant.key}.token, or to token for every variant`,
        at: { path: variant.path, key: true },
      });
    }
  }

  for (const variant of variants) {
    const { token, origin } = mergeToken(input.token, ['token'], variant.token, [...variant.path, 'token']);
    if (!hasEndpoint(token) || token.grant === undefined) continue;
    const where = (field: string): SpecPath => origin.get(field) ?? ['token'];
    if (token.url !== undefined && token.discovery !== undefined) {
      // The one written later (a variant's over the top-level token's) is the one to point at.
      const urlAt = where('url');
      const discoveryAt = where('discovery');
      const at = discoveryAt.length >= urlAt.length ? discoveryAt : urlAt;
      add(variant.key, variant.path, {
        ruleId: 'url-and-discovery',
        message: `token sets both url (${pathLabel(urlAt)}) and discovery (${pathLabel(discoveryAt)}); a token request has one endpoint`,
        hint: "keep url for a fixed token endpoint, or discovery to read token_endpoint from the issuer's discovery document, and remove the other",
        at: { path: at, key: true },
      });
    }
    const grant = token.grant;
    const grantAt: PointAt = { path: where('grant') };
    const grantSection = pathLabel(where('grant').slice(0, -1));
    const clientAuth = token.clientAuth ?? SPEC_DEFAULTS.clientAuth;
    // The default clientAuth is written nowhere, so its problems point at the token section.
    const clientAuthWords = token.clientAuth
      ? `clientAuth "${clientAuth}"`
      : `clientAuth "${SPEC_DEFAULTS.clientAuth}" (the default)`;
    const clientAuthAt: PointAt = token.clientAuth
      ? { path: where('clientAuth') }
      : { path: where('grant').slice(0, -1), key: true };
    const clientAuthSection = token.clientAuth ? pathLabel(where('clientAuth').slice(0, -1)) : grantSection;
    const needs = (field: keyof TokenRequest, by: string, at: PointAt, section: string, extra = '') => {
      if (token[field] !== undefined) return;
      add(variant.key, variant.path, {
        ruleId: 'missing-field',
        message: `${by} needs ${field}`,
        hint: `add ${field}: "{{${field.charAt(0).toUpperCase()}${field.slice(1)}}}" to ${section}${extra}`,
        at,
      });
    };
    // An empty credential sends nothing, and a server reads it as no client or no user at all.
    for (const field of ['clientId', 'clientSecret', 'username', 'password'] as const) {
      if (token[field] === undefined || token[field].trim() !== '') continue;
      const variable = `${field.charAt(0).toUpperCase()}${field.slice(1)}`;
      add(variant.key, variant.path, {
        ruleId: 'empty-field',
        message: `token ${field} is empty`,
        hint: `use a variable each user fills, such as "{{${variable}}}", or remove ${field}`,
        at: { path: where(field) },
      });
    }
    if (grant === 'password') {
      needs('username', 'grant "password"', grantAt, grantSection);
      needs('password', 'grant "password"', grantAt, grantSection);
    }
    if (grant === 'refresh_token') needs('refreshToken', 'grant "refresh_token"', grantAt, grantSection);
    if (grant === 'client_credentials' || grant === 'password') {
      needs('clientId', `grant "${grant}"`, grantAt, grantSection);
    } else if (clientAuth !== 'none') {
      needs('clientId', clientAuthWords, clientAuthAt, clientAuthSection);
    }
    if (clientAuth === 'basic' || clientAuth === 'body' || clientAuth === 'client_secret_jwt') {
      needs(
        'clientSecret',
        clientAuthWords,
        clientAuthAt,
        clientAuthSection,
        ', or set clientAuth: none for a public client',
      );
    }
    if (clientAuth === 'none' && token.clientSecret !== undefined) {
      add(variant.key, variant.path, {
        ruleId: 'unexpected-field',
        message: 'clientSecret is set, but clientAuth "none" (a public client) sends no secret',
        hint: 'remove clientSecret, or use clientAuth: basic or body',
        at: { path: where('clientSecret'), key: true },
      });
    }
    for (const finding of checkCredentials(input, token, where, clientAuthAt))
      add(variant.key, variant.path, finding);
    if (token.method === 'GET' && token.encoding !== undefined && token.encoding !== 'query') {
      add(variant.key, variant.path, {
        ruleId: 'get-with-body',
        message: `encoding "${token.encoding}" cannot be used with method GET, which sends its parameters in the query`,
        hint: 'remove encoding (GET defaults to query), or use method: POST',
        at: { path: where('encoding') },
      });
    }
  }

  const total = variants.length;
  return [...findings.values()].map(({ finding, variants: affected, paths }) => {
    // A rule broken by the top-level token in only some variants names them; one broken inside a
    // variant's own section already says which variant by its position.
    const insideVariant = paths.every(
      (p) => finding.at.path[0] === 'variants' && finding.at.path[1] === p[1],
    );
    const named = affected.filter((k) => k !== '');
    const suffix =
      named.length > 0 && named.length < total && !insideVariant
        ? ` (in variant${named.length > 1 ? 's' : ''} ${named.map((k) => `"${k}"`).join(', ')})`
        : '';
    return source.problem(
      { ruleId: finding.ruleId, message: finding.message + suffix, hint: finding.hint },
      finding.at,
    );
  });
}
