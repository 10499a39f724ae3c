/**
 * Formats a path of object keys and array indices as a JSON path in the style of the error `param`,
 * for example `["documents", 3, "text"]` as `documents[3].text`. The empty path is the empty string.
 */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const segment of path) {
    if (typeof segment === 'number') formatted += `[${segment}]`;
    else formatted += formatted === '' ? String(segment) : `.${String(segment)}`;
  }
  return formatted;
}
