import { isAsciiStopWordAt, isPackableStopWord, MAX_PACKED_STOP_WORD_LENGTH } from './ascii-stop-words.js';
import {
  ASCII_MID_CLASS,
  ASCII_WORD_FOLD,
  CharacterClass,
  CODE_UNIT_WORD_FOLD,
  characterClassAt,
  codePointWidthAt,
  isDecimalDigitAt,
  isOtherNumberAt,
  MID_LETTER,
  MID_NUMBER,
  midClassOf,
} from './character-class.js';
import { CodeUnitBuffer } from './code-unit-buffer.js';
import {
  analyzeEnglishWord,
  ENGLISH_STOP_WORDS,
  type EnglishWordAnalysisOptions,
} from './english-word-analysis.js';

/** Options of {@link TermVocabulary}. */
export interface TermVocabularyOptions extends EnglishWordAnalysisOptions {
  /**
   * The most distinct surface forms kept before {@link TermVocabulary.resetIfFull} clears the table.
   * Bounds memory when a server sees an endless stream of new words. Default 262,144.
   */
  maxEntries?: number;
  /**
   * The most characters the table's surface forms and terms may hold together before
   * {@link TermVocabulary.resetIfFull} clears it, so that a few long tokens (a document can be one word of
   * 131,072 characters) cannot keep gigabytes where 262,144 ordinary words keep a few megabytes. Default
   * 8,388,608 (8 Mi UTF-16 code units, 16 MiB).
   */
  maxCharacters?: number;
}

/** A reusable output of {@link TermVocabulary.scan}: the term ids of the kept (non stop word) tokens. */
export class TokenBuffer {
  /** Term ids; only the first {@link TokenBuffer.length} are valid. May be replaced by a larger array. */
  termIds: Int32Array = new Int32Array(1024);
  /** How many term ids the last scan wrote. */
  length = 0;
  /** How many tokens the last scan counted without looking them up (not stop words, not query terms). */
  unlistedCount = 0;

  /** Doubles {@link TokenBuffer.termIds}, keeping its contents; returns the new array. */
  grow(): Int32Array {
    const larger = new Int32Array(this.termIds.length * 2);
    larger.set(this.termIds);
    this.termIds = larger;
    return larger;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const APOSTROPHE = 0x27;
const NO_TERM = -1;

/** In `scan`, a token whose term is still to be looked up after its normalisation (never a term id). */
const UNRESOLVED = -2;

/** The number of two-letter prefixes of the lookup filter (128 × 128 ASCII codes). */
const PREFIX_COUNT = 128 * 128;

const DEFAULT_MAX_ENTRIES = 262_144;
const DEFAULT_MAX_CHARACTERS = 8_388_608;

/**
 * The ASCII characters a token can hold, lower-cased: letters and digits, and the punctuation that can join
 * two letters or two digits inside it (`'` `.` `:` `,` `;`, see {@link ASCII_MID_CLASS}); 0 for the others.
 */
const ASCII_TOKEN_FOLD: Uint8Array = new Uint8Array(ASCII_WORD_FOLD);
for (let code = 0; code < 128; code++) if (ASCII_MID_CLASS[code] !== 0) ASCII_TOKEN_FOLD[code] = code;

/** Hashes a string the way the scanner hashes a token's folded characters (32-bit FNV-1a). */
function hashText(text: string): number {
  let hash = FNV_OFFSET;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash;
}

const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** The characters {@link normalizeToken} replaces, before NFKC: I + U+0307 composes to the dotted capital I. */
const NEEDS_REPLACEMENT = /[\u2018\u2019\u0130\u00df\u1e9e\p{Cf}]|\u0307/u;
const SINGLE_QUOTATION_MARKS = /[\u2018\u2019]/g;

/**
 * What NFKC can put at the edges of a token that is not a letter or digit (nor a mark, at its end): the
 * parentheses of "⑴" ("(1)"), the full stop of "⒈" ("1."), the space of "ͺ" (" " + U+0345).
 */
const NON_WORD_EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}\p{M}]+$/gu;

/**
 * The normal form of a token with non-ASCII: the typographic apostrophe (or a left single quotation mark
 * typed for one) as `'`, invisible format characters
 * (soft hyphen, zero-width joiner and non-joiner) dropped, NFKC, then case folded: lower case, with the
 * dotted capital I as "i" (lower-casing alone gives "i" and a combining dot) and the sharp s as "ss" (as
 * Unicode case folding does), so "İstanbul" and "Straße" match "istanbul" and "STRASSE". What NFKC puts at
 * the edges that is not a letter or digit is left out ("⑴" gives "1"); a token left empty gives no term.
 */
function normalizeToken(token: string): string {
  // Most tokens (every Han character is one) hold none of these; one test spares them the replacements.
  if (!NEEDS_REPLACEMENT.test(token)) {
    const compatible = token.normalize('NFKC');
    return (compatible === token ? token : compatible.replace(NON_WORD_EDGES, '')).toLowerCase();
  }
  const folded = token
    .replace(SINGLE_QUOTATION_MARKS, "'")
    .replace(FORMAT_CHARACTERS, '')
    .normalize('NFKC')
    .replace(NON_WORD_EDGES, '')
    .replaceAll('\u0130', 'i')
    .toLowerCase();
  return folded.includes('\u00df') ? folded.replaceAll('\u00df', 'ss') : folded;
}

/** Whether the token at `start` (all ASCII letters, digits or joining punctuation) equals `key` once lower-cased. */
function matchesFoldedAscii(key: string, units: Uint16Array, start: number): boolean {
  for (let offset = 0; offset < key.length; offset++) {
    if (ASCII_TOKEN_FOLD[units[start + offset] as number] !== key.charCodeAt(offset)) return false;
  }
  return true;
}

/** Splits runs of the scripts written without spaces between words into words, with a dictionary. */
const WORD_SEGMENTER = new Intl.Segmenter('und', { granularity: 'word' });

/** Whether a code unit is a Thai, Lao, Burmese or Khmer character (scripts without spaces between words). */
function isSoutheastAsianLetter(code: number): boolean {
  return (
    (code >= 0x0e00 && code <= 0x0eff) ||
    (code >= 0x1000 && code <= 0x109f) ||
    (code >= 0x1780 && code <= 0x17ff)
  );
}

/** Whether `units` hold a Thai, Lao, Burmese or Khmer character from `start` to `end`. */
function hasSoutheastAsianLetter(units: Uint16Array, start: number, end: number): boolean {
  for (let position = start; position < end; position++) {
    if (isSoutheastAsianLetter(units[position] as number)) return true;
  }
  return false;
}

/**
 * Whether a code unit is an apostrophe: straight, typographic (U+2019), a left single quotation mark typed for
 * one (U+2018) or full-width (U+FF07).
 */
function isApostrophe(code: number): boolean {
  return code === APOSTROPHE || code === 0x2019 || code === 0x2018 || code === 0xff07;
}

/**
 * Thai NIKHAHIT + SARA AA (U+0E4D U+0E32) and Lao NIGGAHITA + AA (U+0ECD U+0EB2), maybe with a tone mark typed
 * between them: the decomposed spelling of SARA AM (U+0E33, U+0EB3), which NFC keeps apart from it.
 */
const DECOMPOSED_SARA_AM = /\u0e4d([\u0e48-\u0e4b]?)\u0e32|\u0ecd([\u0ec8-\u0ecb]?)\u0eb2/g;

/** Replaces a match of {@link DECOMPOSED_SARA_AM} by its tone mark, if any, then the precomposed AM. */
function composeSaraAm(_match: string, thaiTone: string | undefined, laoTone: string | undefined): string {
  return thaiTone === undefined ? `${laoTone ?? ''}\u0eb3` : `${thaiTone}\u0e33`;
}

/**
 * A Thai or Lao part in the form it is segmented in: NFC, with SARA AM typed decomposed (NIKHAHIT + SARA AA,
 * the tone mark before or after the NIKHAHIT) written precomposed, as Thai input normalisers do. ICU splits
 * "ทํางาน" typed decomposed into "ทํา" + "งาน" but keeps "ทำงาน" one word, and NFKC folds "น้ำ" to the tone
 * mark then NIKHAHIT, so the other order gave another term. Text without NIKHAHIT is left as it is.
 */
function segmentationForm(part: string): string {
  // Format characters are dropped from terms anyway; left in, a soft hyphen or zero-width (non-)joiner kept
  // ICU from splitting the words on either side of it ("ไทย\u00ADไทย" was one word, "ไทยไทย" two).
  const nfc = part.replace(FORMAT_CHARACTERS, '').normalize('NFC');
  if (nfc.indexOf('\u0e4d') < 0 && nfc.indexOf('\u0ecd') < 0) return nfc;
  return nfc.replace(DECOMPOSED_SARA_AM, composeSaraAm);
}

/**
 * The words of a run of letters that holds Thai, Lao, Khmer or Burmese. As Lucene's ICU tokenizer does, the
 * run is first broken where it passes between those scripts and any other (ICU's own segmenter keeps
 * "Qwen3ทำงาน" or "ราคา100บาท" one word): marks and format characters stay with the letter before them, and
 * apostrophes and other joining punctuation at the edges of a part are dropped ("๑.5" gives "๑" and "5"),
 * as is a possessive "'s" at its end. Parts of the other scripts are words as they are; parts of
 * these scripts are split into words by the platform's dictionary segmenter, in NFC (ICU splits some
 * decomposed runs differently, and NFC and NFD must agree) with SARA AM precomposed ({@link segmentationForm}).
 */
function southeastAsianRunWords(run: string): string[] {
  const words: string[] = [];
  let partStart = 0;
  let partIsSoutheastAsian = isSoutheastAsianLetter(run.charCodeAt(0));
  const endPart = (partEnd: number) => {
    if (partIsSoutheastAsian) {
      for (const segment of WORD_SEGMENTER.segment(segmentationForm(run.slice(partStart, partEnd)))) {
        if (segment.isWordLike === true) words.push(segment.segment);
      }
      return;
    }
    const part = run.slice(partStart, partEnd).replace(FORMAT_CHARACTERS, '');
    let first = 0;
    let last = part.length;
    while (first < last && midClassOf(part.charCodeAt(first)) !== 0) first++;
    while (last > first && midClassOf(part.charCodeAt(last - 1)) !== 0) last--;
    // The part ends a word: a possessive "'s" before Thai ("SeaLink'sภาษา") is dropped as before a space.
    if (
      last - first > 2 &&
      (part.charCodeAt(last - 1) | 0x20) === 115 &&
      isApostrophe(part.charCodeAt(last - 2))
    )
      last -= 2;
    if (first < last) words.push(part.slice(first, last));
  };
  for (let index = 0; index < run.length; index += codePointWidthAt(run, index)) {
    const code = run.charCodeAt(index);
    const southeastAsian = isSoutheastAsianLetter(code);
    if (southeastAsian === partIsSoutheastAsian) continue;
    // A mark or format character continues the part before it, whatever its script.
    if (code >= 128 && midClassOf(code) === 0 && characterClassAt(run, index) === CharacterClass.joiner)
      continue;
    endPart(index);
    partStart = index;
    partIsSoutheastAsian = southeastAsian;
  }
  endPart(run.length);
  return words;
}

function isWordOrJoiner(text: string, index: number): boolean {
  if (index >= text.length) return false;
  const characterClass = characterClassAt(text, index);
  return characterClass === CharacterClass.word || characterClass === CharacterClass.joiner;
}

const FORMAT_CHARACTER = /^\p{Cf}$/u;

/**
 * Whether a word goes on at `index`: a letter, digit or combining mark there, maybe after invisible format
 * characters (which tokens drop: "SeaLink's\u00AD" ends the word "SeaLink" and its possessive).
 */
function wordGoesOnAt(text: string, index: number): boolean {
  while (index < text.length) {
    const characterClass = characterClassAt(text, index);
    if (characterClass === CharacterClass.word) return true;
    if (characterClass !== CharacterClass.joiner) return false;
    const width = codePointWidthAt(text, index);
    if (!FORMAT_CHARACTER.test(text.slice(index, index + width))) return true;
    index += width;
  }
  return false;
}

/**
 * How the character at `index` can join a word across punctuation (UAX #29): {@link MID_NUMBER} for a decimal
 * digit of any script, {@link MID_LETTER} for a letter, 0 for anything else: for the letters of Thai, Lao,
 * Khmer and Burmese, which UAX #29 leaves to a dictionary (they are not ALetter), and for the other numbers
 * ("½", "²", "⑴": neither letters nor digits in UAX #29, and NFKC turns some into punctuation).
 */
function joinKindAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 128) {
    const folded = ASCII_WORD_FOLD[code] as number;
    return folded === 0 ? 0 : folded < 97 ? MID_NUMBER : MID_LETTER;
  }
  if (!(code >= 0) || characterClassAt(text, index) !== CharacterClass.word) return 0;
  if (isDecimalDigitAt(text, index)) return MID_NUMBER;
  return isSoutheastAsianLetter(code) || isOtherNumberAt(text, index) ? 0 : MID_LETTER;
}

/**
 * {@link joinKindAt} of the last letter or digit before `index` in the token that starts at `start`, passing
 * back over the marks and format characters after it (UAX #29 WB4). Only read at a joining punctuation mark.
 */
function joinKindBefore(text: string, start: number, index: number): number {
  let position = index - 1;
  while (position > start) {
    const unit = text.charCodeAt(position);
    if (unit < 128) break;
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      const high = text.charCodeAt(position - 1);
      if (high >= 0xd800 && high <= 0xdbff && position - 1 >= start) position--;
    }
    if (characterClassAt(text, position) !== CharacterClass.joiner) break;
    position--;
  }
  return joinKindAt(text, position);
}

/**
 * The end of the content of a token that starts with a letter or digit (not a Han, Hiragana or Katakana
 * character) at `start`, scanning from `index` (past its first character): letters and digits of any script
 * and joiners continue it, and so does punctuation that UAX #29 keeps inside a word (see {@link midClassOf}):
 * between two letters an apostrophe, a full stop, a colon or a middle dot ("don't", "l'été", "e.g",
 * "col·lega", rules WB6 and WB7), between two digits an apostrophe, a full stop, a comma or a semicolon
 * ("3.14", "1,000", "2.5.1", rules WB11 and WB12). A possessive "'s" is left out ("SeaLink's", "Ørsted's").
 */
function wordTokenEnd(text: string, start: number, index: number): number {
  const length = text.length;
  while (index < length) {
    const next = text.charCodeAt(index);
    if (next < 128) {
      if (ASCII_WORD_FOLD[next] !== 0) {
        index++;
        continue;
      }
    } else if (isWordOrJoiner(text, index)) {
      index += codePointWidthAt(text, index);
      continue;
    }
    const mid = midClassOf(next);
    if (mid === 0) return index;
    const afterKind = joinKindAt(text, index + 1);
    if ((afterKind & mid) === 0 || joinKindBefore(text, start, index) !== afterKind) return index;
    if (isApostrophe(next) && (text.charCodeAt(index + 1) | 0x20) === 115 && !wordGoesOnAt(text, index + 2))
      return index;
    index++;
  }
  return index;
}

/** Where scanning goes on after a token's content ending at `end`: past a possessive "'s" if one follows. */
function skipPossessive(text: string, end: number): number {
  if (!isApostrophe(text.charCodeAt(end))) return end;
  if ((text.charCodeAt(end + 1) | 0x20) !== 115 || wordGoesOnAt(text, end + 2)) return end;
  return end + 2;
}

/**
 * The tokenizer and the term table of the BM25 backend, in one single pass over the text.
 *
 * Tokens are runs of letters and digits of any script (see `character-class.ts`), lower-cased, NFKC
 * normalised when they hold non-ASCII characters; each Han, Hiragana or Katakana character is a token of its
 * own; an apostrophe, a full stop or a colon between letters stays inside a word ("don't", "e.g"), a full
 * stop, comma, semicolon or apostrophe between digits inside a number ("3.14", "1,000"), as in UAX #29, and
 * a possessive "'s" is dropped ("SeaLink's" gives "sealink"). Each distinct surface form is then analysed once (stop word or Porter stem,
 * see {@link analyzeEnglishWord}) and mapped to a small integer term id; that table is the stem cache.
 *
 * Speed: the scanner reads `charCodeAt` with a table for ASCII, hashes the folded characters as it goes
 * and finds a known surface form in an open-addressing hash table by comparing characters in place, so a
 * token seen before costs no string allocation, no regular expression and no stemming. Non-ASCII tokens
 * take a slower path (slice, normalise, look up by string).
 *
 * Term ids stay valid until {@link TermVocabulary.resetIfFull} clears a full table: callers must not keep
 * ids across an `await`. Not safe to share across threads (it is not shared: each worker has its own).
 */
export class TermVocabulary {
  readonly #analysis: EnglishWordAnalysisOptions;
  readonly #maxEntries: number;
  readonly #maxCharacters: number;
  /** The characters of the surface forms and terms added since the table was last cleared. */
  #storedCharacters = 0;
  #slots: Int32Array = new Int32Array(1 << 12);
  #mask = (1 << 12) - 1;
  #keys: string[] = [];
  #entryHashes: Int32Array = new Int32Array(1 << 11);
  #entryTerms: Int32Array = new Int32Array(1 << 11);
  #entryCount = 0;
  #termIds = new Map<string, number>();
  #terms: string[] = [];
  #termMarks: Int32Array = new Int32Array(1 << 11);
  #termSlots: Int32Array = new Int32Array(1 << 11);
  #lastMark = 0;
  readonly #stopWordFilter: Uint8Array;
  readonly #codeUnits = new CodeUnitBuffer();
  /** Increases each time the table is cleared; term ids of an older generation are meaningless. */
  generation = 0;

  constructor(options: TermVocabularyOptions) {
    this.#analysis = { stopWords: options.stopWords, stemming: options.stemming };
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#maxCharacters = options.maxCharacters ?? DEFAULT_MAX_CHARACTERS;
    this.#stopWordFilter = new Uint8Array(2 * PREFIX_COUNT);
    if (options.stopWords) {
      for (const word of ENGLISH_STOP_WORDS) {
        const prefix = word.charCodeAt(0) * 128 + (word.length > 1 ? word.charCodeAt(1) : 0);
        if (isPackableStopWord(word)) {
          // Bits 1 to 7 hold the lengths of the stop words with this prefix.
          this.#stopWordFilter[prefix] = (this.#stopWordFilter[prefix] as number) | (1 << word.length);
        } else if (prefix < PREFIX_COUNT) {
          // Another stop word (none with today's list) is looked up like a possible query term.
          this.#stopWordFilter[prefix] = (this.#stopWordFilter[prefix] as number) | 1;
          this.#stopWordFilter[PREFIX_COUNT + prefix] = 0xff;
        }
      }
    }
  }

  /** How many distinct surface forms the table holds. */
  get size(): number {
    return this.#entryCount;
  }

  /**
   * Clears the table when it holds `maxEntries` surface forms or more, or `maxCharacters` characters of
   * forms and terms. Returns whether it did.
   */
  resetIfFull(): boolean {
    if (this.#entryCount < this.#maxEntries && this.#storedCharacters < this.#maxCharacters) return false;
    this.#storedCharacters = 0;
    this.#slots = new Int32Array(1 << 12);
    this.#mask = (1 << 12) - 1;
    this.#keys = [];
    this.#entryCount = 0;
    this.#termIds = new Map();
    this.#terms = [];
    this.#termMarks.fill(0);
    this.generation++;
    return true;
  }

  /** The text of a term id: the stem, or the normalised token when it is not stemmed. */
  termText(termId: number): string {
    const text = this.#terms[termId];
    if (text === undefined) throw new RangeError(`Unknown term id ${termId}`);
    return text;
  }

  /** The id of a term text, added to the table if new. */
  termIdOf(term: string): number {
    const known = this.#termIds.get(term);
    if (known !== undefined) return known;
    const termId = this.#terms.length;
    this.#terms.push(term);
    this.#termIds.set(term, termId);
    if (termId >= this.#termMarks.length) {
      const marks = new Int32Array(this.#termMarks.length * 2);
      marks.set(this.#termMarks);
      this.#termMarks = marks;
      const slots = new Int32Array(this.#termSlots.length * 2);
      slots.set(this.#termSlots);
      this.#termSlots = slots;
    }
    return termId;
  }

  /**
   * Marks the given terms as the query's, term `terms[i]` with slot `i`, and returns the mark. While no
   * other mark is made (that is, within one synchronous stretch of work), `termMarks[id] === mark` tells
   * whether a term id is a query term and `termSlots[id]` gives its slot. Read both arrays after the last
   * scan: they are replaced when they grow.
   */
  markTerms(terms: readonly string[]): number {
    if (this.#lastMark >= 0x3fffffff) {
      this.#termMarks.fill(0);
      this.#lastMark = 0;
    }
    const mark = ++this.#lastMark;
    for (let slot = 0; slot < terms.length; slot++) {
      const termId = this.termIdOf(terms[slot] as string);
      this.#termMarks[termId] = mark;
      this.#termSlots[termId] = slot;
    }
    return mark;
  }

  /** Per term id, the mark of the last {@link TermVocabulary.markTerms} that named it. */
  get termMarks(): Int32Array {
    return this.#termMarks;
  }

  /** Per term id, its slot in the last {@link TermVocabulary.markTerms} that named it. */
  get termSlots(): Int32Array {
    return this.#termSlots;
  }

  /**
   * A filter for {@link TermVocabulary.scan} that lets it skip the table lookup of every token that can be
   * neither a stop word nor one of `queryTerms`. Indexed by the token's first two lower-cased ASCII codes
   * (`first * 128 + second`, second 0 for a one-letter token): bit 0 marks a possible query term, bit n (1 to 7) a
   * stop word of length n with that prefix (a stop word that is not one to seven letters a to z sets bit 0).
   * 16 KB, so it
   * stays in the CPU's first-level cache.
   *
   * Sound because Porter stemming keeps a word's first two letters whenever the stem has three letters or
   * more (it only rewrites suffixes; checked over 49,000 words); for a shorter query term, or one with
   * non-ASCII in its first two characters, the whole row of its first letter is marked. Tokens with any
   * non-ASCII character are always looked up.
   */
  createLookupFilter(queryTerms: readonly string[]): Uint8Array {
    const filter = new Uint8Array(this.#stopWordFilter);
    for (const term of queryTerms) {
      const first = term.charCodeAt(0);
      if (!(first < 128)) continue;
      const second = term.length > 1 ? term.charCodeAt(1) : 0;
      if (term.length < 3 || second >= 128) {
        for (let prefix = first * 128; prefix < first * 128 + 128; prefix++) {
          filter[prefix] = (filter[prefix] as number) | 1;
          filter[PREFIX_COUNT + prefix] = 0xff;
        }
        continue;
      }
      const prefix = first * 128 + second;
      filter[prefix] = (filter[prefix] as number) | 1;
      const third = term.charCodeAt(2);
      // A stem of four letters or more keeps the word's first three; a shorter one may end in a rewritten
      // letter ("cry" gives "cri"), so it matches any third letter.
      const thirdBits = term.length >= 4 && third < 128 ? 1 << (third & 7) : 0xff;
      filter[PREFIX_COUNT + prefix] = (filter[PREFIX_COUNT + prefix] as number) | thirdBits;
    }
    return filter;
  }

  /**
   * Tokenizes `text`, reading at most `maxTokens` tokens, and writes the term ids of the tokens that are not
   * stop words into `output`. Returns how many tokens it read, stop words included. With a `lookupFilter`
   * (see {@link TermVocabulary.createLookupFilter}), tokens that the filter rules out are only counted, in
   * `output.unlistedCount`, and their ids are not written.
   */
  scan(text: string, maxTokens: number, output: TokenBuffer, lookupFilter?: Uint8Array): number {
    const length = text.length;
    const units = this.#codeUnits.load(text);
    const fold = CODE_UNIT_WORD_FOLD;
    let termIds = output.termIds;
    let kept = 0;
    let unlisted = 0;
    let tokens = 0;
    let index = 0;
    while (index < length && tokens < maxTokens) {
      const code = units[index] as number;
      let termId: number;
      // The token's bounds, and whether it may hold Thai, Lao, Khmer or Burmese letters; read when the
      // token is left UNRESOLVED below.
      let start: number;
      let end: number;
      let mayBeSoutheastAsian = false;
      if (code < 128) {
        const folded = fold[code] as number;
        if (folded === 0) {
          index++;
          continue;
        }
        start = index;
        // The common case inline: a run of ASCII letters and digits, tested by range (no table read). The 0
        // after the text ends it.
        end = start + 1;
        for (;;) {
          const unit = units[end] as number;
          if (((unit | 0x20) - 97) >>> 0 < 26 || (unit - 48) >>> 0 < 10) end++;
          else break;
        }
        const next = units[end] as number;
        let asciiOnly = true;
        if (
          next >= 128 ||
          (ASCII_MID_CLASS[next] !== 0 &&
            (fold[units[end + 1] as number] !== 0 || (units[end + 1] as number) >= 128))
        ) {
          // A non-ASCII character, or joining punctuation before a letter or digit, may continue the token.
          const fullEnd = wordTokenEnd(text, start, end);
          for (let position = end; position < fullEnd; position++) {
            if ((units[position] as number) >= 128) {
              asciiOnly = false;
              break;
            }
          }
          end = fullEnd;
          index = end;
          if (index < length) index = skipPossessive(text, index);
        } else {
          // The run ended at an ASCII separator (or the end of the text): go on after it.
          index = end + 1;
        }
        const tokenLength = end - start;
        if (lookupFilter !== undefined && asciiOnly) {
          let second = 0;
          if (tokenLength > 1) {
            second = ASCII_TOKEN_FOLD[units[start + 1] as number] as number;
          }
          const prefix = folded * 128 + second;
          const filterEntry = lookupFilter[prefix] as number;
          let possibleQueryTerm = (filterEntry & 1) !== 0;
          if (possibleQueryTerm && tokenLength > 2) {
            const third = ASCII_TOKEN_FOLD[units[start + 2] as number] as number;
            possibleQueryTerm = ((lookupFilter[PREFIX_COUNT + prefix] as number) & (1 << (third & 7))) !== 0;
          }
          if (!possibleQueryTerm) {
            // Not a query term. A stop word is read and dropped; anything else is only counted.
            tokens++;
            if (
              tokenLength > MAX_PACKED_STOP_WORD_LENGTH ||
              (filterEntry & (1 << tokenLength)) === 0 ||
              !isAsciiStopWordAt(units, start, end)
            ) {
              unlisted++;
            }
            continue;
          }
        }
        if (asciiOnly) {
          let hash = FNV_OFFSET;
          for (let position = start; position < end; position++)
            hash = Math.imul(hash ^ (ASCII_TOKEN_FOLD[units[position] as number] as number), FNV_PRIME);
          termId = this.#findAscii(text, units, start, end, hash);
        } else {
          // Maybe a Latin word or a number written against Thai, Lao, Khmer or Burmese ("Qwen3ทำงาน").
          termId = UNRESOLVED;
          mayBeSoutheastAsian = true;
        }
      } else {
        const characterClass = characterClassAt(text, index);
        const width = codePointWidthAt(text, index);
        if (characterClass === CharacterClass.separator || characterClass === CharacterClass.joiner) {
          index += width;
          continue;
        }
        start = index;
        index += width;
        end = index;
        if (characterClass === CharacterClass.word) {
          // Same rules as a token starting with a to z: joining punctuation inside, a possessive "'s" left out.
          end = wordTokenEnd(text, start, index);
          index = skipPossessive(text, end);
        } else {
          // A Han, Hiragana or Katakana character keeps the marks after it: the voicing mark of a decomposed
          // (NFD) "が" is U+3099, of a half-width "ｶﾞ" U+FF9E; NFKC then composes them.
          while (index < length) {
            const next = units[index] as number;
            if (
              next !== 0xff9e &&
              next !== 0xff9f &&
              (next < 128 || characterClassAt(text, index) !== CharacterClass.joiner)
            )
              break;
            index += codePointWidthAt(text, index);
          }
          end = index;
        }
        termId = UNRESOLVED;
        mayBeSoutheastAsian = characterClass === CharacterClass.word;
      }
      if (termId === UNRESOLVED) {
        if (mayBeSoutheastAsian && hasSoutheastAsianLetter(units, start, end)) {
          // Thai, Lao, Khmer and Burmese are written without spaces between words: a run is a phrase or a
          // sentence, maybe with Latin words or numbers written against it. It is split into words.
          tokens += this.#writeWords(
            southeastAsianRunWords(text.slice(start, end)),
            maxTokens - tokens,
            output,
            kept,
          );
          kept = output.length;
          termIds = output.termIds;
          continue;
        }
        termId = this.#findNormalized(normalizeToken(text.slice(start, end)));
      }
      tokens++;
      if (termId === NO_TERM) continue;
      if (kept === termIds.length) termIds = output.grow();
      termIds[kept++] = termId;
    }
    output.length = kept;
    output.unlistedCount = unlisted;
    return tokens;
  }

  /**
   * Writes the term ids of `words` (those that are not stop words) into `output` after its first `kept`,
   * reading at most `tokensLeft` words, and sets `output.length`. Returns how many words it read.
   */
  #writeWords(words: readonly string[], tokensLeft: number, output: TokenBuffer, kept: number): number {
    let termIds = output.termIds;
    const read = Math.min(words.length, Math.max(0, tokensLeft));
    for (let word = 0; word < read; word++) {
      const termId = this.#findNormalized(normalizeToken(words[word] as string));
      if (termId === NO_TERM) continue;
      if (kept === termIds.length) termIds = output.grow();
      termIds[kept++] = termId;
    }
    output.length = kept;
    return read;
  }

  #findAscii(text: string, units: Uint16Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash & mask;
    for (;;) {
      const stored = slots[slot] as number;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.#entryHashes[entry] === hash) {
        const key = this.#keys[entry] as string;
        if (key.length === length && matchesFoldedAscii(key, units, start))
          return this.#entryTerms[entry] as number;
      }
      slot = (slot + 1) & mask;
    }
    return this.#insert(text.slice(start, end).toLowerCase(), hash, slot);
  }

  #findNormalized(key: string): number {
    if (key.length === 0) return NO_TERM;
    const hash = hashText(key);
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash & mask;
    for (;;) {
      const stored = slots[slot] as number;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.#entryHashes[entry] === hash && this.#keys[entry] === key)
        return this.#entryTerms[entry] as number;
      slot = (slot + 1) & mask;
    }
    return this.#insert(key, hash, slot);
  }

  #insert(key: string, hash: number, slot: number): number {
    const entry = this.#entryCount++;
    if (entry === this.#entryHashes.length) {
      const hashes = new Int32Array(entry * 2);
      hashes.set(this.#entryHashes);
      this.#entryHashes = hashes;
      const terms = new Int32Array(entry * 2);
      terms.set(this.#entryTerms);
      this.#entryTerms = terms;
    }
    const analysed = analyzeEnglishWord(key, this.#analysis);
    const termId = analysed === undefined ? NO_TERM : this.termIdOf(analysed);
    this.#storedCharacters += key.length + (analysed === undefined ? 0 : analysed.length);
    this.#keys.push(key);
    this.#entryHashes[entry] = hash;
    this.#entryTerms[entry] = termId;
    this.#slots[slot] = entry + 1;
    if (this.#entryCount * 2 > this.#slots.length) this.#grow();
    return termId;
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.#entryCount; entry++) {
      let slot = (this.#entryHashes[entry] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
