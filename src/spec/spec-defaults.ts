// Every default a spec may leave out, in one place.
export const SPEC_DEFAULTS = {
  tokenMethod: 'POST',
  clientAuth: 'basic',
  basicEncoding: 'raw',
  encoding: 'urlencoded',
  getEncoding: 'query',
  tokenPath: 'access_token',
  expiresInPath: 'expires_in',
  skew: 60,
  fallbackLifetime: 300,
  retryAfter: 5,
  refresh: true,
  insecure: false,
  /** RFC 7523 assertions: RS256 is what every vendor that takes a private key accepts. */
  privateKeyAlg: 'RS256',
  clientSecretAlg: 'HS256',
  thumbprint: 'x5t#S256',
  assertionLifetime: 300,
  subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
  preStepMethod: 'GET',
  requestMethod: 'GET',
  requestMethodWithJson: 'POST',
} as const;
