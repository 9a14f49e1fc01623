// A secret comes back from a vendor or a report in many spellings: as is, percent-encoded (either
// hex case, `+` for a space, each encoder leaving its own set of characters alone), JSON-escaped
// (`\"`, `\/`, `\u0022`), XML-escaped by a junit report, or JSON-escaped and then XML-escaped.
// Rather than spell every secret every way (a pattern that grows with the secret and the alphabet
// until the regular expression engine gives up), the text is decoded each way instead, and each
// secret is looked for as the plain string it is. Every decoded character remembers where it came
// from, so what is found is blanked in the text as it stands.

/** A text as one decoding reads it, and where each of its characters starts in the original. */
export interface DecodedView {
  text: string;
  /**
   * `starts[i]` is the offset in the original text where character i of `text` begins;
   * `starts[text.length]` is the original's length. Absent for the original itself.
   */
  starts?: Int32Array;
}

type Decoder = (text: string) => { text: string; starts: Int32Array } | undefined;

/** Builds a decoded text and its offsets, one piece at a time. */
class Builder {
  readonly #parts: string[] = [];
  #starts: Int32Array;
  #length = 0;

  constructor(capacity: number) {
    this.#starts = new Int32Array(capacity + 1);
  }

  /** `piece` (decoded) stands for the original from `from`; each of its units starts there. */
  push(piece: string, from: number): void {
    this.#parts.push(piece);
    for (let i = 0; i < piece.length; i++) this.#starts[this.#length + i] = from;
    this.#length += piece.length;
  }

  /** Original characters copied as they are, from `from` to `to`. */
  copy(original: string, from: number, to: number): void {
    if (to <= from) return;
    this.#parts.push(original.slice(from, to));
    for (let i = 0; i < to - from; i++) this.#starts[this.#length + i] = from + i;
    this.#length += to - from;
  }

  done(originalLength: number): { text: string; starts: Int32Array } {
    this.#starts[this.#length] = originalLength;
    return { text: this.#parts.join(''), starts: this.#starts.subarray(0, this.#length + 1) };
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;

function codePointText(code: number): string | undefined {
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** `&amp;`, `&quot;`, `&#39;`, `&#x27;`, … as a junit report writes them. */
export const xmlDecode: Decoder = (text) => {
  if (!text.includes('&')) return undefined;
  const out = new Builder(text.length);
  let last = 0;
  for (const match of text.matchAll(ENTITY)) {
    const [whole, name, decimal, hex] = match;
    const char = name
      ? NAMED_ENTITIES[name]
      : codePointText(decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16));
    if (char === undefined) continue;
    out.copy(text, last, match.index);
    out.push(char, match.index);
    last = match.index + whole.length;
  }
  if (last === 0) return undefined;
  out.copy(text, last, text.length);
  return out.done(text.length);
};

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The escapes of a JSON string: `\"`, `\\`, `\/`, `\n`, `\u00e9`, … (a lone `\` stays as it is). */
export const jsonDecode: Decoder = (text) => {
  if (!text.includes('\\')) return undefined;
  const out = new Builder(text.length);
  let last = 0;
  for (let at = text.indexOf('\\'); at >= 0 && at < text.length - 1; at = text.indexOf('\\', at)) {
    const next = text[at + 1] as string;
    const simple = JSON_ESCAPES[next];
    if (simple !== undefined) {
      out.copy(text, last, at);
      out.push(simple, at);
      last = at + 2;
      at += 2;
    } else if (next === 'u' && HEX4.test(text.slice(at + 2, at + 6))) {
      out.copy(text, last, at);
      out.push(String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16)), at);
      last = at + 6;
      at += 6;
    } else at += 1;
  }
  if (last === 0) return undefined;
  out.copy(text, last, text.length);
  return out.done(text.length);
};

function hexByte(text: string, at: number): number | undefined {
  if (text[at] !== '%') return undefined;
  const hex = text.slice(at + 1, at + 3);
  return /^[0-9a-fA-F]{2}$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/** How many bytes a UTF-8 sequence that starts with this byte has; 0 for a byte no sequence starts with. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Percent-encoding, as a URL or a form carries a value: `%40` or `%4a` (either case), a character
 * of several bytes as its UTF-8 sequence, `+` for a space. A `%` that starts no valid sequence stays
 * as it is.
 */
export const percentDecode: Decoder = (text) => {
  if (!text.includes('%') && !text.includes('+')) return undefined;
  const out = new Builder(text.length);
  let last = 0;
  let changed = false;
  for (let at = 0; at < text.length; ) {
    const char = text[at];
    if (char === '+') {
      out.copy(text, last, at);
      out.push(' ', at);
      last = at += 1;
      changed = true;
      continue;
    }
    const first = char === '%' ? hexByte(text, at) : undefined;
    const length = first === undefined ? 0 : sequenceLength(first);
    if (first === undefined || length === 0) {
      at += 1;
      continue;
    }
    const bytes = [first];
    for (let k = 1; k < length; k++) {
      const byte = hexByte(text, at + 3 * k);
      if (byte === undefined) break;
      bytes.push(byte);
    }
    let decoded: string | undefined;
    try {
      decoded = bytes.length === length ? STRICT_UTF8.decode(Uint8Array.from(bytes)) : undefined;
    } catch {
      decoded = undefined;
    }
    if (decoded === undefined) {
      at += 1;
      continue;
    }
    out.copy(text, last, at);
    out.push(decoded, at);
    last = at += 3 * length;
    changed = true;
  }
  if (!changed) return undefined;
  out.copy(text, last, text.length);
  return out.done(text.length);
};

/** A decoding of a decoded view, its offsets taken back to the original. */
function decodeView(view: DecodedView, decoder: Decoder): DecodedView | undefined {
  const decoded = decoder(view.text);
  if (!decoded) return undefined;
  const { starts } = view;
  if (!starts) return decoded;
  const composed = new Int32Array(decoded.starts.length);
  for (let i = 0; i < composed.length; i++) composed[i] = starts[decoded.starts[i] as number] as number;
  return { text: decoded.text, starts: composed };
}

/**
 * The text as it stands and as each reader of an echo would decode it: XML, JSON, XML then JSON
 * (junit quoting a JSON body), percent-encoding, and XML then percent-encoding (junit quoting a URL).
 * A decoding that changes nothing is left out.
 */
export function decodedViews(text: string): DecodedView[] {
  const original: DecodedView = { text };
  const xml = decodeView(original, xmlDecode);
  const views = [
    original,
    xml,
    decodeView(original, jsonDecode),
    xml && decodeView(xml, jsonDecode),
    decodeView(original, percentDecode),
    xml && decodeView(xml, percentDecode),
  ];
  return views.filter((view): view is DecodedView => view !== undefined);
}

/** Where characters `from` to `to` of a view are in the original text. */
export function originalRange(view: DecodedView, from: number, to: number): [number, number] {
  const { starts } = view;
  return starts ? [starts[from] as number, starts[to] as number] : [from, to];
}
