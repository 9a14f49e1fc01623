import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

// The official Postman Collection v2.1.0 schema, vendored because no package ships it (source and
// licence in test/fixtures/postman-schema/README.md).
const schemaUrl = new URL(
  '../fixtures/postman-schema/postman-collection-v2.1.0.schema.json',
  import.meta.url,
);
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));

/** The schema's complaints about a collection, as `path: message` lines; empty when valid. */
export function postmanSchemaErrors(collection: unknown): string[] {
  if (validate(collection)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
