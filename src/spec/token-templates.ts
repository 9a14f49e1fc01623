// Which fields of a token request are templates (`{{Name}}` is substituted in them): the others are
// enums, numbers, booleans or response paths. The validator checks these for undefined variables,
// the environments declare what they use, the script checks that they have values: all read this.
// The client certificate's templates are apart: declared and used like the others, but the script
// never sends them (TLS is the runner's), so it must not demand that they have values.

/** Single-string template fields, in the order the token script checks their variables. */
export const TOKEN_TEMPLATE_FIELDS = [
  'url',
  'discovery',
  'clientId',
  'clientSecret',
  'scope',
  'username',
  'password',
  'refreshToken',
  'subjectToken',
  'apiKey',
] as const;

export type TokenTemplateField = (typeof TOKEN_TEMPLATE_FIELDS)[number];

/** Template fields of an assertion the script signs (token.assertion as a mapping). */
export const ASSERTION_TEMPLATE_FIELDS = [
  'key',
  'kid',
  'certificate',
  'issuer',
  'subject',
  'audience',
  'scope',
] as const;

export type AssertionTemplateField = (typeof ASSERTION_TEMPLATE_FIELDS)[number];

/**
 * Where a template stands in a token request: `['scope']`, `['params', 'audience']`,
 * `['assertion']` (a variable holding a JWT) or `['assertion', 'key']`.
 */
export type TokenTemplatePath =
  | [TokenTemplateField]
  | ['params' | 'headers', string]
  | ['assertion']
  | ['assertion', AssertionTemplateField];

type Entries = Array<[string, string]> | Record<string, string>;

/**
 * A token request as the spec writes it (optional fields, maps) or as the plan reads it (every field
 * set, lists of pairs): only the template fields are read.
 */
export type TokenWithTemplates = { [field in TokenTemplateField]?: string | undefined } & {
  params?: Entries | undefined;
  headers?: Entries | undefined;
  /** As written (a template, or a mapping), or as planned (`source` says which), or none. */
  assertion?:
    | string
    | ({ source?: string; value?: string } & { [field in AssertionTemplateField]?: string | undefined })
    | null
    | undefined;
};

function entries(map: Entries | undefined): Array<[string, string]> {
  if (map === undefined) return [];
  return Array.isArray(map) ? map : Object.entries(map);
}

/**
 * Every template of a token request with its path inside the token, in a fixed order: the single
 * fields (those set), then the assertion's, then the values of the extra parameters, then those of
 * the headers.
 */
export function tokenTemplateFields(token: TokenWithTemplates): Array<[TokenTemplatePath, string]> {
  const fields: Array<[TokenTemplatePath, string]> = [];
  for (const field of TOKEN_TEMPLATE_FIELDS) {
    const template = token[field];
    if (template !== undefined) fields.push([[field], template]);
  }
  const assertion = token.assertion;
  if (typeof assertion === 'string') fields.push([['assertion'], assertion]);
  else if (assertion?.source === 'variable') fields.push([['assertion'], assertion.value ?? '']);
  else if (assertion) {
    for (const field of ASSERTION_TEMPLATE_FIELDS) {
      const template = assertion[field];
      if (template !== undefined) fields.push([['assertion', field], template]);
    }
  }
  for (const [name, template] of entries(token.params)) fields.push([['params', name], template]);
  for (const [name, template] of entries(token.headers)) fields.push([['headers', name], template]);
  return fields;
}

/** The fields of token.clientCertificate: both templates, the key's variable a secret one. */
export const CLIENT_CERTIFICATE_FIELDS = ['certificate', 'key'] as const;

export type ClientCertificateField = (typeof CLIENT_CERTIFICATE_FIELDS)[number];

/**
 * The templates of the mutual-TLS client certificate (`token.clientCertificate`), with their paths
 * inside the token; none without one. Not part of tokenTemplateFields: a Postman user leaves these
 * variables empty and sets the certificate under Settings → Certificates.
 */
export function clientCertificateTemplates(token: {
  clientCertificate?: { certificate?: string; key?: string } | null | undefined;
}): Array<[['clientCertificate', ClientCertificateField], string]> {
  const certificate = token.clientCertificate;
  if (!certificate) return [];
  return CLIENT_CERTIFICATE_FIELDS.filter((field) => certificate[field] !== undefined).map((field) => [
    ['clientCertificate', field],
    certificate[field] as string,
  ]);
}
