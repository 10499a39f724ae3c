/**
 * Character classes of the BM25 tokenizer. Tokens are runs of letters and digits of any script (Unicode
 * `\p{L}` and `\p{N}`), with combining marks (`\p{M}`) and invisible format characters (`\p{Cf}` but the
 * zero-width space) kept inside a run. Han, Hiragana and Katakana are
 * written without spaces, so each of their characters is a token of its own (as Lucene's standard
 * tokenizer does). Everything else, punctuation, symbols and emoji included, separates tokens.
 */
export const CharacterClass = {
  /** Not part of any token: spaces, punctuation, symbols, emoji. */
  separator: 1,
  /** A letter or digit: starts or continues a token. */
  word: 2,
  /**
   * A combining mark, variation selector or invisible format character (soft hyphen, zero-width joiner or
   * non-joiner): continues a token, never starts one.
   */
  joiner: 3,
  /** A Han, Hiragana or Katakana character: a token by itself. */
  ideograph: 4,
} as const;

/** One of the {@link CharacterClass} values. */
export type CharacterClass = (typeof CharacterClass)[keyof typeof CharacterClass];

const IDEOGRAPH = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Combining marks and invisible format characters (soft hyphen, zero-width joiner and non-joiner...). */
const JOINER = /^[\p{M}\p{Cf}]$/u;
const ZERO_WIDTH_SPACE = 0x200b;

/** The class of one code point, computed with Unicode property regular expressions (the slow path). */
export function classifyCodePoint(codePoint: number): CharacterClass {
  const character = String.fromCodePoint(codePoint);
  if (IDEOGRAPH.test(character)) return CharacterClass.ideograph;
  if (LETTER_OR_DIGIT.test(character)) return CharacterClass.word;
  // Format characters (Cf) continue a word, as UAX #29 ignores them inside one; the zero-width space,
  // which marks a word boundary in Thai or Khmer text, is the one Cf that separates.
  if (codePoint !== ZERO_WIDTH_SPACE && JOINER.test(character)) return CharacterClass.joiner;
  return CharacterClass.separator;
}

/**
 * ASCII letters and digits mapped to their lower-case code, every other ASCII code to 0. The tokenizer's
 * fast path reads this table instead of calling regular expressions or `toLowerCase`.
 */
export const ASCII_WORD_FOLD: Uint8Array = createAsciiWordFold();

function createAsciiWordFold(): Uint8Array {
  const fold = new Uint8Array(128);
  for (let code = 48; code <= 57; code++) fold[code] = code;
  for (let code = 97; code <= 122; code++) fold[code] = code;
  for (let code = 65; code <= 90; code++) fold[code] = code + 32;
  return fold;
}

/**
 * {@link ASCII_WORD_FOLD} widened to every UTF-16 code unit (0 above ASCII), so a scanner's innermost loop
 * needs one table read per character and no range check. 64 KB, of which only the first 128 bytes are read
 * often.
 */
export const CODE_UNIT_WORD_FOLD: Uint8Array = new Uint8Array(0x10000);
CODE_UNIT_WORD_FOLD.set(ASCII_WORD_FOLD);

/** Classes of the Basic Multilingual Plane, filled lazily (0 = not classified yet). */
const basicPlaneClasses = new Uint8Array(0x10000);
/** Classes of the supplementary planes met so far. */
const supplementaryPlaneClasses = new Map<number, CharacterClass>();

/**
 * The class of the code point starting at `index` in `text`, cached per code point. A lone surrogate is a
 * separator.
 */
export function characterClassAt(text: string, index: number): CharacterClass {
  const code = text.charCodeAt(index);
  if (code < 128) return ASCII_WORD_FOLD[code] === 0 ? CharacterClass.separator : CharacterClass.word;
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(index + 1);
    if (!(low >= 0xdc00 && low <= 0xdfff)) return CharacterClass.separator;
    const codePoint = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    let known = supplementaryPlaneClasses.get(codePoint);
    if (known === undefined) {
      known = classifyCodePoint(codePoint);
      if (supplementaryPlaneClasses.size < 65_536) supplementaryPlaneClasses.set(codePoint, known);
    }
    return known;
  }
  if (code >= 0xdc00 && code <= 0xdfff) return CharacterClass.separator;
  let known = basicPlaneClasses[code] as CharacterClass | 0;
  if (known === 0) {
    known = classifyCodePoint(code);
    basicPlaneClasses[code] = known;
  }
  return known;
}

/** The number of UTF-16 code units of the code point starting at `index`: 2 for a surrogate pair, else 1. */
export function codePointWidthAt(text: string, index: number): 1 | 2 {
  const code = text.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(index + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return 2;
  }
  return 1;
}

/**
 * The punctuation that UAX #29 lets continue a word between two letters ({@link MID_LETTER}, rules WB6 and
 * WB7) or between two digits ({@link MID_NUMBER}, rules WB11 and WB12): the characters of the Word_Break
 * classes MidLetter, MidNum, MidNumLet and Single_Quote, as Node's ICU segments them.
 */
export const MID_LETTER = 1;
/** See {@link MID_LETTER}. */
export const MID_NUMBER = 2;

/** {@link MID_LETTER} and {@link MID_NUMBER} bits of the ASCII codes: `'` and `.` both, `:` letters, `,` `;` digits. */
export const ASCII_MID_CLASS: Uint8Array = new Uint8Array(128);
ASCII_MID_CLASS[0x27] = MID_LETTER | MID_NUMBER;
ASCII_MID_CLASS[0x2e] = MID_LETTER | MID_NUMBER;
ASCII_MID_CLASS[0x3a] = MID_LETTER;
ASCII_MID_CLASS[0x2c] = MID_NUMBER;
ASCII_MID_CLASS[0x3b] = MID_NUMBER;

/**
 * The {@link MID_LETTER} and {@link MID_NUMBER} bits of a UTF-16 code unit (every such character is in the Basic
 * Multilingual Plane), 0 for any other character.
 */
export function midClassOf(code: number): number {
  if (code < 128) return ASCII_MID_CLASS[code] as number;
  switch (code) {
    // MidNumLet: right and left single quotation marks, one dot leader, small and full-width full stop, full-width apostrophe.
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0xfe52:
    case 0xff07:
    case 0xff0e:
      return MID_LETTER | MID_NUMBER;
    // MidLetter: middle dot, Greek ano teleia, Armenian abbreviation mark, Hebrew gershayim, hyphenation point,
    // vertical, small and full-width colon.
    case 0x00b7:
    case 0x0387:
    case 0x055f:
    case 0x05f4:
    case 0x2027:
    case 0xfe13:
    case 0xfe55:
    case 0xff1a:
      return MID_LETTER;
    // MidNum: Greek question mark, Armenian full stop, Arabic comma, date and thousands separators, NKo comma,
    // fraction slash, small and full-width comma and semicolon; and the Arabic decimal separator (Numeric in
    // UAX #29, so inside a number, but a separator elsewhere here).
    case 0x037e:
    case 0x0589:
    case 0x060c:
    case 0x060d:
    case 0x066b:
    case 0x066c:
    case 0x07f8:
    case 0x2044:
    case 0xfe50:
    case 0xfe54:
    case 0xff0c:
    case 0xff1b:
      return MID_NUMBER;
    default:
      return 0;
  }
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const OTHER_NUMBER = /^\p{No}$/u;
/** Per BMP code unit: 0 not known yet, 1 neither, 2 a decimal digit, 3 another number (No). */
const basicPlaneNumbers = new Uint8Array(0x10000);

function numberKindOf(character: string): number {
  return DECIMAL_DIGIT.test(character) ? 2 : OTHER_NUMBER.test(character) ? 3 : 1;
}

/** {@link basicPlaneNumbers}' kind of the code point starting at `index`. */
function numberKindAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 128) return code >= 48 && code <= 57 ? 2 : 1;
  if (code >= 0xd800 && code <= 0xdbff) {
    const codePoint = text.codePointAt(index) as number;
    return codePoint > 0xffff ? numberKindOf(String.fromCodePoint(codePoint)) : 1;
  }
  let known = basicPlaneNumbers[code] as number;
  if (known === 0) {
    known = numberKindOf(String.fromCharCode(code));
    basicPlaneNumbers[code] = known;
  }
  return known;
}

/**
 * Whether the code point starting at `index` is a decimal digit of any script (`\p{Nd}`, UAX #29's Numeric
 * for the digits), cached per code unit of the Basic Multilingual Plane.
 */
export function isDecimalDigitAt(text: string, index: number): boolean {
  return numberKindAt(text, index) === 2;
}

/**
 * Whether the code point starting at `index` is a number other than a decimal digit or a letter-like one
 * (`\p{No}`: "½", "²", "⑴"). UAX #29 does not count these as letters or digits; the tokenizer keeps them in
 * tokens but joins no word across punctuation at them.
 */
export function isOtherNumberAt(text: string, index: number): boolean {
  return numberKindAt(text, index) === 3;
}
