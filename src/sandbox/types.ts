// The shapes the sandbox code works with: the one JSON value a generated script receives (built by
// the plan stage), the neutral token request and answer, and the small runtime interface each
// client's adapter (postman-runtime.js, bruno-runtime.js) provides over pm or bru.
//
// Types only: the sandbox modules are JavaScript checked by the compiler through JSDoc, and read
// these with `import('./types.js')`.

export type Pair = [name: string, value: string];

/** The variables a script keeps its state in (src/spec/reserved-variables.ts). */
export interface StateNames {
  token: string;
  expiresAt: string;
  renewAt: string;
  refresh: string;
  variant: string;
  failedAt: string;
  error: string;
  endpoint: string;
  discovery: string;
}

export type BodyEncoding = 'urlencoded' | 'form-data' | 'json' | 'query';
export type SignerFamily = 'rsa' | 'ec' | 'hmac';
export type JwtAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'HS256';

/** How the client proves who it is. */
export type ClientAuthPlan =
  | { kind: 'basic'; encoding: 'raw' | 'rfc6749'; id: string; secret: string }
  | { kind: 'body' }
  | { kind: 'none' }
  /** RFC 8705: client_id in the body, the client certificate at the TLS layer (set up outside the script). */
  | { kind: 'tls' }
  /** RFC 7523 section 2.2: a client_assertion signed at send time. */
  | { kind: 'client_secret_jwt' }
  | { kind: 'private_key_jwt' };

/** A JWT the script signs as the request goes out; every text is a template, '' is unset. */
export interface SignedAssertion {
  source: 'sign';
  alg: JwtAlgorithm;
  key: string;
  kid: string;
  certificate: string;
  thumbprint: 'x5t#S256' | 'x5t' | '';
  issuer: string;
  subject: string;
  audience: string;
  scope: string;
  lifetime: number;
}

/** An assertion made elsewhere, the value of a secret variable. */
export interface VariableAssertion {
  source: 'variable';
  value: string;
}

/** The assertion of a token request, with the parameter that carries it. */
export type AssertionPlan = (SignedAssertion | VariableAssertion) & {
  param: 'client_assertion' | 'assertion';
};

/** OpenID Connect discovery: where the token URL is read from before the first token request. */
export interface DiscoveryPlan {
  /** The discovery document's URL, as a template. */
  url: string;
  /** Where the document holds the token URL, the first present wins. */
  fields: string[];
}

/** A request that must run before the token request (API Connect's realm discovery). */
export interface PreStep {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Pair[];
  /** Skip the step when this variable already has a value; '' to always run. */
  unless: string;
  /** [variable, response path] in spec order. */
  set: Pair[];
}

/** Where a token answer holds the token and its lifetime, and how long to trust it. */
export interface AnswerSettings {
  tokenPath: string;
  expiresInPath: string;
  fallbackLifetime: number;
  skew: number;
}

/** One variant's token request, as the script sends it: every value a template. */
export interface VariantScript {
  method: 'GET' | 'POST';
  /** The token URL, without the parameters of the query encoding. */
  url: string;
  discovery: DiscoveryPlan | null;
  encoding: BodyEncoding;
  /** The grant's parameters in order; the assertion's slot holds a placeholder. */
  params: Pair[];
  /** The refresh_token grant's parameters; empty when the spec turns refresh off. */
  refreshParams: Pair[];
  /** Accept, the spec's own headers, then the encoding's Content-Type. */
  headers: Pair[];
  clientAuth: ClientAuthPlan;
  assertion: AssertionPlan | null;
  signer: SignerFamily | null;
  preSteps: PreStep[];
  response: AnswerSettings;
  /** Seconds a failed token request is not repeated; 0 repeats it every time. */
  retryAfter: number;
  refresh: boolean;
  /** Variables that must have a value before the token request is sent. */
  required: string[];
}

/** The one JSON value of a spec's token script: the same for every client. */
/** What the token script and the checks of its "Get token" requests both receive of the spec. */
export interface SpecScriptData {
  /** The spec's name, for messages. */
  name: string;
  names: StateNames;
  /** Secret variables, whose values are blanked out of every message. */
  secrets: string[];
  defaultVariant: string;
  /** Name of each variant's "Get token" request → the variant's key. */
  tokenRequests: Record<string, string>;
}

export interface ScriptConfig extends SpecScriptData {
  /** Milliseconds a token or pre-step request may take, where the client lets a script say. */
  timeout: number;
  variants: Record<string, VariantScript>;
}

/** What the test script of the "Get token" requests receives: how to read each variant's answer. */
export interface TokenAnswerConfig extends SpecScriptData {
  variants: Record<
    string,
    { response: AnswerSettings; refresh: boolean; clientAuth: ClientAuthPlan['kind'] }
  >;
}

/** What the test script of an example request receives. */
export interface ExampleConfig {
  /** The exact status with a good token; null for any 2xx. */
  expectedStatus: number | null;
}

/** A request as the flow sends it, before a client's adapter puts it in its own terms. */
export interface SandboxRequest {
  method: string;
  url: string;
  headers: Pair[];
  /** The body's parameters and how they are encoded; null for none (GET, query). */
  body: { encoding: 'urlencoded' | 'form-data' | 'json'; params: Pair[] } | null;
}

/** An answer as the flow reads it, whatever client fetched it. */
export interface SandboxAnswer {
  code: number;
  status: string;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  header(name: string): string | undefined;
}

/** How a flow ends: nothing to report, a failure in words, or a request skipped. */
export type FlowEnd = { failure?: string; remember?: boolean; skip?: boolean };

/**
 * What the checks and the token flow read and keep through a client. The adapters build one over pm
 * (Postman app, Newman, Postman CLI) or over bru/req (Bruno), so no flow or check names a client.
 */
export interface SandboxContext {
  /** A variable's value as the client substitutes `{{name}}`; undefined when it has none. */
  get(name: string): string | undefined;
  /** The token state: read, keep and drop one of the StateNames variables. */
  state: {
    get(name: string): string | undefined;
    set(name: string, value: string): void;
    unset(name: string): void;
  };
  /** The name of the request being sent (a "Get token" request is known by it). */
  requestName: string;
  /** The active environment's name, for messages; '' when the client does not say. */
  environmentName: string;
  /** Where to set a missing value: words the client's users know. */
  setHint: string;
  base64(text: string): string;
  unbase64(text: string): string;
  /** Records a named check; a throw inside it is the check's failure. */
  test(name: string, check: () => void): void;
}

/** What the token flow needs of a client beyond its context: sending requests of its own. */
export interface SandboxRuntime extends SandboxContext {
  /** Sends a request of the script's own; done(error) or done(null, answer). */
  send(request: SandboxRequest, done: (error: unknown, answer?: SandboxAnswer) => void): void;
  /** Makes the request being sent carry exactly this (a "Get token" request sent by hand). */
  sendAs(request: SandboxRequest): void;
}

/** A signer bundle's one function, by family (src/sandbox/signer). */
export type Signers = Partial<Record<SignerFamily, (options: Record<string, unknown>) => string>>;
