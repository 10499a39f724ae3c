import { ASCII_WORD_FOLD } from './character-class.js';
import { ENGLISH_STOP_WORDS } from './english-word-analysis.js';

/** The longest stop word {@link isAsciiStopWordAt} knows. */
export const MAX_PACKED_STOP_WORD_LENGTH = 7;
const PACKABLE_WORD = /^[a-z]{1,7}$/;
/** Open-addressing slots: 256 for about 108 words keeps probes short; 1.3 KB in all. */
const SLOT_BITS = 8;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const GOLDEN_RATIO_MULTIPLIER = 0x9e3779b1 | 0;

/**
 * Whether a stop word can be recognised by {@link isAsciiStopWordAt}: one to seven letters a to z, as every
 * word of the `stopword` package's English list is. Others (none today) must be found another way.
 */
export function isPackableStopWord(word: string): boolean {
  return PACKABLE_WORD.test(word);
}

/** The slot of the key of a word's first six letters (a to z as 1 to 26 in base 32: one key per word). */
const packedSlotOf = (key: number): number => Math.imul(key, GOLDEN_RATIO_MULTIPLIER) >>> (32 - SLOT_BITS);

/** Keys of the first six letters per slot (0 = empty) and the seventh letter (0 when none). */
const STOP_WORD_KEYS = new Int32Array(1 << SLOT_BITS);
const STOP_WORD_SEVENTH_LETTERS = new Int8Array(1 << SLOT_BITS);
for (const word of ENGLISH_STOP_WORDS) {
  if (!isPackableStopWord(word)) continue;
  let key = 0;
  for (let index = 0; index < Math.min(word.length, 6); index++)
    key = (key << 5) | (word.charCodeAt(index) - 96);
  let slot = packedSlotOf(key);
  while (STOP_WORD_KEYS[slot] !== 0) slot = (slot + 1) & SLOT_MASK;
  STOP_WORD_KEYS[slot] = key;
  STOP_WORD_SEVENTH_LETTERS[slot] = word.length === 7 ? word.charCodeAt(6) - 96 : 0;
}

/**
 * Whether the ASCII token `units[start, end)` (letters, digits and apostrophes), lower-cased, is one of the
 * packable English stop words (see {@link isPackableStopWord}). Exact, without a string or a hash of text:
 * the letters are packed into one integer and looked up in a small table, so the check costs a few
 * instructions per letter and no character comparison.
 */
export function isAsciiStopWordAt(units: Uint16Array, start: number, end: number): boolean {
  const length = end - start;
  if (length > MAX_PACKED_STOP_WORD_LENGTH) return false;
  const fold = ASCII_WORD_FOLD;
  const packedEnd = length > 6 ? start + 6 : end;
  let key = 0;
  for (let position = start; position < packedEnd; position++) {
    const unit = units[position] as number;
    // Digits, apostrophes and anything else outside a to z end the check: no stop word holds them.
    const letter = unit < 128 ? (fold[unit] as number) - 96 : 0;
    if (letter < 1) return false;
    key = (key << 5) | letter;
  }
  let seventh = 0;
  if (length === 7) {
    const unit = units[start + 6] as number;
    seventh = unit < 128 ? (fold[unit] as number) - 96 : 0;
    if (seventh < 1) return false;
  }
  for (let slot = packedSlotOf(key); STOP_WORD_KEYS[slot] !== 0; slot = (slot + 1) & SLOT_MASK) {
    if (STOP_WORD_KEYS[slot] === key && STOP_WORD_SEVENTH_LETTERS[slot] === seventh) return true;
  }
  return false;
}
