import { generateKeyPairSync, type KeyPairKeyObjectResult, randomBytes, X509Certificate } from 'node:crypto';
import { variablesUsedBy } from '../plan/variables-used.js';
import {
  type ClientKey,
  type ClientRegistration,
  createCertificateAuthority,
  issueClientCertificate,
  type TokenServer,
} from '../server/index.js';
import { fillTemplate, leadingVariable, templateVariables } from '../spec/template.js';
import { JWT_BEARER_GRANT, type SignedAssertionDef, type Spec, type VariantDef } from '../spec/types.js';

export interface LocalSetup {
  /** Values for the variant's environment, pointing every host at the embedded server. */
  values: Record<string, string>;
  /** What the embedded server must accept for this variant. */
  client: ClientRegistration;
  /**
   * For a variant with a client certificate: the PEMs the runner presents (issued by the server's
   * CA, registered for the client) and the CA that signs the server's mTLS listener.
   */
  tls?: { cert: string; key: string; ca: string };
}

/** The embedded server's mutual-TLS listener, as localSetup needs it. */
export type MtlsListener = Pick<TokenServer, 'mtlsUrl' | 'caCertificate' | 'issueClientCertificate'>;

/** Whether a variant's token request goes over mutual TLS: clientAuth tls, or a client certificate. */
export function usesClientCertificate(variant: VariantDef): boolean {
  return variant.token.clientAuth === 'tls' || variant.token.clientCertificate !== null;
}

function resolveWith(values: Record<string, string>) {
  return (template: string) => fillTemplate(template, (ref) => values[ref.name] ?? '');
}

function testValue(spec: Spec, variant: VariantDef, name: string, salt: string): string {
  // XSUAA client ids contain ! and |; giving every Basic-auth test client such an id proves the
  // header is built from the raw id.
  const base = `tm-${spec.id}${variant.key ? `-${variant.key}` : ''}${salt ? `-${salt}` : ''}-${name.toLowerCase()}`;
  return name === 'ClientId' && variant.token.clientAuth === 'basic' ? `sb-${base}!b1|tokenman!b2` : base;
}

/**
 * A host variable's value on the embedded server: the server's URL, plus the path of the variable's
 * default when that default is a whole URL (Google's token_uri, https://oauth2.googleapis.com/token),
 * since the server picks each vendor's dialect by path.
 */
function onServer(defaultValue: string | undefined, serverUrl: string): string {
  const path = defaultValue ? pathOf(defaultValue) : undefined;
  return path && path !== '/' ? `${serverUrl.replace(/\/+$/, '')}${path}` : serverUrl;
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/**
 * Test credentials for one variant against the embedded server: secrets get fresh random markers,
 * other variables their default or a readable test value, hosts the server's URL (with the default's
 * path, for a variable that holds a whole URL). The server is told
 * the resolved credentials, so a spec verifies locally without server code of its own. A salt makes
 * the test values of one run differ from another's on the same server. With `mtls` (a server
 * started with its mTLS listener), a variant that uses a client certificate gets one issued by the
 * server's CA, its token host points at that listener, and its certificate variables hold the PEMs.
 */
export function localSetup(
  spec: Spec,
  variant: VariantDef,
  serverUrl: string,
  salt = '',
  mtls?: MtlsListener,
): LocalSetup {
  const { token } = variant;
  const byName = new Map(spec.variables.map((v) => [v.name, v]));
  const hosts = new Set(
    // The variable a URL starts with ({{AuthUrl}}/oauth/token) holds the host a user points.
    [
      token.url,
      token.discovery,
      ...spec.preSteps.map((s) => s.url),
      ...spec.requests.map((r) => r.url),
      spec.api?.baseUrl ?? '',
    ]
      .map(leadingVariable)
      .filter((name): name is string => name !== undefined),
  );
  // A client id with a default (API Connect's fixed one, the one `tokenman init` takes from a pasted
  // curl) would be one client for every variant, spec and runner, and the server counts token calls
  // per client: each run gets its own, so its count is its own. (A literal client id cannot change:
  // such runs share a client, which the server accepts with each run's secret.)
  const ownClientIds = new Set(templateVariables(token.clientId));
  const values: Record<string, string> = {};
  for (const name of variablesUsedBy(spec, variant)) {
    const variable = byName.get(name);
    if (!variable) continue;
    if (hosts.has(name)) values[name] = onServer(variant.defaults[name] ?? variable.default, serverUrl);
    else if (variable.secret && !variable.optional) {
      values[name] = `tm-secret-${randomBytes(12).toString('hex')}`;
    } else if (ownClientIds.has(name)) values[name] = testValue(spec, variant, name, salt);
    else if (variant.defaults[name]) values[name] = variant.defaults[name] ?? '';
    else values[name] = variable.optional ? '' : testValue(spec, variant, name, salt);
  }
  // Variables a pre-step fills (API Connect's realm) are left to the pre-step, as for a real user.
  for (const step of spec.preSteps)
    for (const [name] of step.set) if (step.unless === name) values[name] = '';
  const assertion = token.assertion?.source === 'sign' ? token.assertion : undefined;
  const verificationKey =
    assertion && assertion.alg !== 'HS256' ? testSigningKey(assertion, values) : undefined;

  const overTls = mtls?.mtlsUrl && usesClientCertificate(variant) ? mtls : undefined;
  const tokenHost = leadingVariable(token.url);
  // Only the token request goes to the listener that asks for a certificate; API hosts stay plain.
  if (overTls?.mtlsUrl && tokenHost !== undefined) values[tokenHost] = overTls.mtlsUrl;

  const resolve = resolveWith(values);
  const scope = resolve(token.scope).trim();
  const client: ClientRegistration = {
    clientId: resolve(token.clientId),
    grants: [token.grant, 'refresh_token'],
    accepts: token.tokenPath === 'id_token' ? 'id_token' : 'access_token',
  };
  const endpointPath = pathOf(resolve(token.url));
  if (endpointPath) client.tokenEndpointPath = endpointPath;
  if (token.clientAuth === 'basic' || token.clientAuth === 'body' || token.clientAuth === 'client_secret_jwt')
    client.clientSecret = resolve(token.clientSecret);
  if (token.grant === 'password')
    client.users = [{ username: resolve(token.username), password: resolve(token.password) }];
  if (assertion && verificationKey) {
    const kid = resolve(assertion.kid);
    const key: ClientKey = kid ? { key: verificationKey, kid } : { key: verificationKey };
    client.publicKeys = [key];
    // RFC 7523 section 2.1: a JWT-bearer grant's client is the assertion's issuer, and its subject a
    // user of that client (Salesforce's pre-approved user).
    if (token.grant === JWT_BEARER_GRANT) {
      client.clientId = resolve(assertion.issuer);
      const subject = resolve(assertion.subject);
      if (subject) client.users = [{ username: subject, password: randomBytes(12).toString('hex') }];
    }
  }
  if (token.grant === 'api_key')
    client.apiKeys = [{ apiKey: resolve(token.apiKey), username: client.clientId }];
  if (scope) client.scopes = scope.split(/\s+/);
  if (!overTls) return { values, client };
  const issued = overTls.issueClientCertificate({ subject: `tokenman ${client.clientId}`.slice(0, 64) });
  // RFC 8705 §2.1.2 lets a server match the subject or the certificate itself; the thumbprint is the
  // stricter of the two, so a certificate of another run never passes for this one.
  client.certificate = { thumbprintSha256: new X509Certificate(issued.cert).fingerprint256 };
  const certificate = token.clientCertificate;
  if (certificate) {
    for (const name of templateVariables(certificate.certificate)) values[name] = issued.cert;
    for (const name of templateVariables(certificate.key)) values[name] = issued.key;
  }
  return { values, client, tls: { cert: issued.cert, key: issued.key, ca: overTls.caCertificate ?? '' } };
}

/**
 * A fresh key pair of the assertion's kind: its private PEM becomes the key variable's test value
 * (and a certificate of it the certificate variable's). Returns what the server checks signatures
 * with: the certificate when there is one, whose thumbprint an x5t#S256 or x5t header names (Entra
 * picks the key by it), else the public PEM.
 */
function testSigningKey(assertion: SignedAssertionDef, values: Record<string, string>): string {
  const key = testKeyOf(assertion.alg === 'ES256' ? 'ec' : 'rsa');
  for (const name of templateVariables(assertion.key)) values[name] = key.privatePem;
  const certificateVariables = templateVariables(assertion.certificate);
  if (certificateVariables.length > 0) {
    key.certificate ??= issueClientCertificate(createCertificateAuthority(), {
      subject: 'tokenman test client',
      publicKey: key.pair.publicKey,
    }).cert;
    for (const name of certificateVariables) values[name] = key.certificate;
    return key.certificate;
  }
  return key.publicPem;
}

interface TestKey {
  pair: KeyPairKeyObjectResult;
  privatePem: string;
  publicPem: string;
  certificate?: string;
}

/**
 * The test key of a kind, made once a process: a 2048-bit RSA key takes a tenth of a second or
 * more to make, and a verify made one for each run that signs (a quarter of a verify of the seed
 * specs). Each run is still a client of its own; a throwaway key may serve them all.
 */
const testKeys = new Map<'ec' | 'rsa', TestKey>();

function testKeyOf(kind: 'ec' | 'rsa'): TestKey {
  let key = testKeys.get(kind);
  if (!key) {
    const pair =
      kind === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = {
      pair,
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    testKeys.set(kind, key);
  }
  return key;
}
