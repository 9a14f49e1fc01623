// A secret comes back from a vendor or a report in many spellings: as is, percent-encoded (either
// hex case, `+` for a space, each encoder leaving its own set of characters alone), JSON-escaped
// (`\"`, `\/`, `\u0022`), XML-escaped by a junit report, or JSON-escaped and then XML-escaped.
// Rather than spell every secret every way (a pattern that grows with the secret and the alphabet
// until the regular expression engine gives up), the text is decoded each way instead, and each
// secret is looked for as the plain string it is. Every decoded character remembers where it came
// from, so what is found is blanked in the text as it stands.

/** A text as one decoding reads it. */
export interface DecodedView {
  text: string;
  /**
   * Where each character of `text` starts in the original (`[text.length]` is the original's
   * length), worked out only when asked, as most views hold no secret; undefined for the original.
   */
  starts(): Int32Array | undefined;
}

type Decoded = { text: string; starts: Int32Array | undefined };
/** Decodes `text`; with `track`, also where each decoded character came from. Undefined: no change. */
type Decoder = (text: string, track: boolean) => Decoded | undefined;

/** Builds a decoded text and, when tracking, its offsets, one piece at a time. */
class Builder {
  readonly #parts: string[] = [];
  readonly #starts: Int32Array | undefined;
  #length = 0;

  constructor(capacity: number, track: boolean) {
    this.#starts = track ? new Int32Array(capacity + 1) : undefined;
  }

  /** `piece` (decoded) stands for the original from `from`; each of its units starts there. */
  push(piece: string, from: number): void {
    this.#parts.push(piece);
    if (this.#starts) for (let i = 0; i < piece.length; i++) this.#starts[this.#length + i] = from;
    this.#length += piece.length;
  }

  /** Original characters copied as they are, from `from` to `to`. */
  copy(original: string, from: number, to: number): void {
    if (to <= from) return;
    this.#parts.push(original.slice(from, to));
    if (this.#starts) for (let i = 0; i < to - from; i++) this.#starts[this.#length + i] = from + i;
    this.#length += to - from;
  }

  done(originalLength: number): Decoded {
    if (this.#starts) this.#starts[this.#length] = originalLength;
    return { text: this.#parts.join(''), starts: this.#starts?.subarray(0, this.#length + 1) };
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;

function codePointText(code: number): string | undefined {
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** `&amp;`, `&quot;`, `&#39;`, `&#x27;`, … as a junit report writes them. */
export const xmlDecode: Decoder = (text, track) => {
  if (!text.includes('&')) return undefined;
  const out = new Builder(text.length, track);
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
export const jsonDecode: Decoder = (text, track) => {
  if (!text.includes('\\')) return undefined;
  const out = new Builder(text.length, track);
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
export const percentDecode: Decoder = (text, track) => {
  if (!text.includes('%') && !text.includes('+')) return undefined;
  const out = new Builder(text.length, track);
  let last = 0;
  let changed = false;
  const encoded = /\+|%[0-9a-fA-F]{2}/g;
  for (let match = encoded.exec(text); match; match = encoded.exec(text)) {
    const at = match.index;
    if (match[0] === '+') {
      out.copy(text, last, at);
      out.push(' ', at);
      last = at + 1;
      changed = true;
      continue;
    }
    const first = hexByte(text, at) as number;
    const length = sequenceLength(first);
    if (length === 0) continue;
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
    if (decoded === undefined) continue;
    out.copy(text, last, at);
    out.push(decoded, at);
    last = at + 3 * length;
    encoded.lastIndex = last;
    changed = true;
  }
  if (!changed) return undefined;
  out.copy(text, last, text.length);
  return out.done(text.length);
};

/** The original's offsets of a text decoded by `chain`, one decoder after another. */
function trackedStarts(original: string, chain: readonly Decoder[]): Int32Array | undefined {
  let text = original;
  let starts: Int32Array | undefined;
  for (const decoder of chain) {
    const decoded = decoder(text, true);
    if (!decoded?.starts) return undefined;
    const step = decoded.starts;
    if (starts) {
      const previous = starts;
      starts = step.map((at) => previous[at] as number);
    } else starts = step;
    text = decoded.text;
  }
  return starts;
}

/**
 * The text as it stands and as each reader of an echo would decode it: XML, JSON, XML then JSON
 * (junit quoting a JSON body), percent-encoding, and XML then percent-encoding (junit quoting a URL).
 * A decoding that changes nothing is left out.
 */
export function decodedViews(text: string): DecodedView[] {
  const views: DecodedView[] = [{ text, starts: () => undefined }];
  const chains: Decoder[][] = [
    [xmlDecode],
    [jsonDecode],
    [xmlDecode, jsonDecode],
    [percentDecode],
    [xmlDecode, percentDecode],
  ];
  const decoded = new Map<Decoder, string | undefined>();
  for (const chain of chains) {
    let at: string | undefined = text;
    for (const [index, decoder] of chain.entries()) {
      // The first step of two chains is the same decoding of the original: done once.
      if (index === 0) {
        if (!decoded.has(decoder)) decoded.set(decoder, decoder(text, false)?.text);
        at = decoded.get(decoder);
      } else at = at === undefined ? undefined : decoder(at, false)?.text;
      if (at === undefined) break;
    }
    if (at === undefined) continue;
    let starts: Int32Array | undefined;
    views.push({ text: at, starts: () => (starts ??= trackedStarts(text, chain)) });
  }
  return views;
}

/** Where characters `from` to `to` of a view are in the original text. */
export function originalRange(view: DecodedView, from: number, to: number): [number, number] {
  const starts = view.starts();
  return starts ? [starts[from] as number, starts[to] as number] : [from, to];
}
