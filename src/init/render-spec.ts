import { Document } from 'yaml';
import type { TokenmanSpec } from '../spec/spec-input.generated.js';

// The example request is left as a comment: tokenman cannot know the vendor's API, and a request
// that calls nothing real would only fail verification against the vendor.
const REQUESTS_TEMPLATE = `
# Example API requests sent with the token (collection auth Bearer {{Token}}); uncomment and adapt:
# requests:
#   - name: List things
#     url: "{{ApiUrl}}/v1/things"
#     headers:
#       Accept: application/json
`;

/** The spec as YAML, with the line that lets editors complete and check it against the schema. */
export function renderSpec(spec: TokenmanSpec, schemaReference: string): string {
  const document = new Document(spec);
  const body = document.toString({ lineWidth: 100, minContentWidth: 40, blockQuote: 'literal' });
  return `# yaml-language-server: $schema=${schemaReference}\n${body}${REQUESTS_TEMPLATE}`;
}
