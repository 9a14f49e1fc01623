/** A JSON media type, parameters allowed: application/json, application/vnd.api+json, text/json. */
export function isJsonMediaType(type: string): boolean {
  return /^[a-z]+\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i.test(type.trim());
}
