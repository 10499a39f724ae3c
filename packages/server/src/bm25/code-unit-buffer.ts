import { endianness } from 'node:os';

/** The capacity kept between texts, in code units (256 KB): a longer text gets a buffer of its own. */
const KEPT_CAPACITY = 128 * 1024;
const BIG_ENDIAN = endianness() === 'BE';
/** Room after a text: its closing 0. */
const PADDING = 1;

/**
 * A text's UTF-16 code units in a reusable typed array, followed by one 0 (a separator) so that a loop over a
 * token can stop at the end of the text without a bounds check of its own.
 *
 * The BM25 scanner reads each character of every document once or more. Reading a `Uint16Array` costs less
 * than `String.prototype.charCodeAt`, which dispatches on the string's internal representation (one or two
 * bytes per character, flat, cons or sliced) on every call; the copy itself is one native call
 * (`Buffer.prototype.write` in UTF-16), a few percent of the scan. Indexes are the string's own, so slow
 * paths can still read the string.
 */
export class CodeUnitBuffer {
  #bytes: Buffer = Buffer.alloc(2 * (KEPT_CAPACITY + PADDING));
  #units: Uint16Array = new Uint16Array(this.#bytes.buffer, this.#bytes.byteOffset, KEPT_CAPACITY + PADDING);

  /**
   * Copies `text` into the buffer and returns its code units: `units[i] === text.charCodeAt(i)` for every
   * index of the text, and `units[text.length] === 0`. The array is valid until the next call.
   */
  load(text: string): Uint16Array {
    const length = text.length;
    let bytes = this.#bytes;
    let units = this.#units;
    if (length + PADDING > units.length) {
      // A text longer than the kept capacity gets a buffer of its own, dropped after use.
      bytes = Buffer.alloc(2 * (length + PADDING));
      units = new Uint16Array(bytes.buffer, bytes.byteOffset, length + PADDING);
    }
    bytes.write(text, 0, 'utf16le');
    if (BIG_ENDIAN) bytes.subarray(0, 2 * length).swap16();
    units[length] = 0;
    return units;
  }
}
