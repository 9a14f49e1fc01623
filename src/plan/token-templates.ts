// Which fields of a token request are templates (`{{Name}}` is substituted in them): the others are
// enums, numbers, booleans or response paths. The validator checks these for undefined variables,
// the environments declare what they use, the script checks that they have values: all read this.

/** Single-string template fields, in the order the token script checks their variables. */
export const TOKEN_TEMPLATE_FIELDS = [
  'url',
  'clientId',
  'clientSecret',
  'scope',
  'username',
  'password',
  'refreshToken',
] as const;

export type TokenTemplateField = (typeof TOKEN_TEMPLATE_FIELDS)[number];

/** Where a template stands in a token request: `['scope']`, or `['params', 'audience']`. */
export type TokenTemplatePath = [TokenTemplateField] | ['params' | 'headers', string];

type Entries = Array<[string, string]> | Record<string, string>;

/**
 * A token request as the spec writes it (optional fields, maps) or as the plan reads it (every field
 * set, lists of pairs): only the template fields are read.
 */
export type TokenWithTemplates = { [field in TokenTemplateField]?: string | undefined } & {
  params?: Entries | undefined;
  headers?: Entries | undefined;
};

function entries(map: Entries | undefined): Array<[string, string]> {
  if (map === undefined) return [];
  return Array.isArray(map) ? map : Object.entries(map);
}

/**
 * Every template of a token request with its path inside the token, in a fixed order: the single
 * fields (those set), then the values of the extra parameters, then those of the headers.
 */
export function tokenTemplateFields(token: TokenWithTemplates): Array<[TokenTemplatePath, string]> {
  const fields: Array<[TokenTemplatePath, string]> = [];
  for (const field of TOKEN_TEMPLATE_FIELDS) {
    const template = token[field];
    if (template !== undefined) fields.push([[field], template]);
  }
  for (const [name, template] of entries(token.params)) fields.push([['params', name], template]);
  for (const [name, template] of entries(token.headers)) fields.push([['headers', name], template]);
  return fields;
}
