/**
 * Serializes a value as JSON that is safe inside an HTML `<script type="application/json">` element:
 * `<`, `>`, `&` and the JavaScript line separators are written as `\u` escapes, so no text in the value can
 * close the element or start a comment.
 */
export function serializeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
