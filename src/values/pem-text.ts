/**
 * A service key holds its PEMs as JSON strings; copied from the file as they stand, their line
 * breaks arrive as the two characters \n (SAP's own docs warn of it). A PEM has real ones, and no
 * backslash, so turning the escapes back into line breaks changes nothing else.
 */
export function unescapePem(value: string): string {
  return !value.includes('\n') && value.includes('\\n') ? value.replace(/\\r\\n|\\n/g, '\n') : value;
}

/** Whether the text holds a PEM block (`-----BEGIN …-----` to its END line). */
export function isPemText(value: string): boolean {
  return /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/.test(value);
}
