/** Writes code as a fenced markdown code block, with a fence longer than any backtick run in the code. */
export function markdownCodeBlock(code: string, language: string): string {
  const longestRun = Math.max(0, ...Array.from(code.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}
