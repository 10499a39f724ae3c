/**
 * What is wrong with an API key that the browser cannot send in the `Authorization` header, or `undefined`
 * when it can. `fetch` refuses (with a TypeError, and sends nothing) a header value with a character past
 * U+00FF, or with NUL, CR or LF; such a key is nearly always one pasted with an invisible character (a
 * zero-width space, a line break) or typographic quotes. The message names the first such character, by
 * code point and position (counting from 1), so the user can find it.
 */
export function apiKeyProblem(key: string): string | undefined {
  let position = 0;
  for (const character of key) {
    position += 1;
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint > 0xff || codePoint === 0x00 || codePoint === 0x0a || codePoint === 0x0d) {
      const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
      return `The API key cannot be sent: character ${position} is ${name}, which an HTTP header may not hold (often an invisible character or a quote copied with the key). Paste the key again.`;
    }
  }
  return undefined;
}
