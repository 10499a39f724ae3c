// The "Types" table of README.md in this folder is what operators read to pick a `type`: its routes,
// health checks, default batch sizes, score mappings and setting support must be the engines table's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_TYPE_DIALECTS, UPSTREAM_TYPES, upstreamEngine } from './upstream-engines.js';

const README = readFileSync(new URL('README.md', import.meta.url), 'utf8');

/** One row of the README's table of upstream types, its cells as written. */
interface TypeRow {
  types: string[];
  dialect: string;
  route: string;
  healthCheck: string;
  defaultBatch: string;
  instruction: string;
  maxTokensPerDocument: string;
}

/** The names in backticks of a cell, in order. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/** The rows of the table whose header starts with `| \`type\``, up to the first line that is not a row. */
function readTypesTable(markdown: string): TypeRow[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| `type`'));
  if (header === -1) throw new Error('README.md has no table of upstream types');
  const rows: TypeRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [types, dialect, route, healthCheck, defaultBatch, instruction, maxTokensPerDocument] = cells;
    if (maxTokensPerDocument === undefined) throw new Error(`a row of the types table is short: ${line}`);
    rows.push({
      types: codeSpans(types!),
      dialect: dialect!,
      route: route!,
      healthCheck: healthCheck!,
      defaultBatch: defaultBatch!,
      instruction: instruction!,
      maxTokensPerDocument,
    });
  }
  return rows;
}

const rows = readTypesTable(README);

describe('the README table of upstream types', () => {
  it('lists every type exactly once', () => {
    const listed = rows.flatMap((row) => row.types);
    expect([...listed].sort()).toEqual([...UPSTREAM_TYPES].sort());
  });

  describe.each(rows.map((row) => [row.types.join(', '), row] as const))('%s', (_name, row) => {
    it('names the dialect, route, health check and default batch size the engines table has', () => {
      for (const type of row.types as (keyof typeof UPSTREAM_TYPE_DIALECTS)[]) {
        const engine = upstreamEngine(type);
        expect(row.dialect).toBe(`\`${UPSTREAM_TYPE_DIALECTS[type]}\``);
        expect(codeSpans(row.route)[0]).toBe(`${engine.info.method} ${engine.path}`);
        expect(row.healthCheck).toBe(
          engine.healthPath === undefined ? 'passive only' : `\`GET ${engine.healthPath}\``,
        );
        expect(row.defaultBatch).toBe(String(engine.info.defaultMaxBatch));
      }
    });

    it('says when raw scores are asked for and when the gateway applies the sigmoid', () => {
      const engine = upstreamEngine(row.types[0] as keyof typeof UPSTREAM_TYPE_DIALECTS);
      const mapping = engine.info.rawScoreMapping ?? engine.info.scoreMapping;
      expect(row.route.includes('`raw_scores: true`')).toBe(engine.info.rawScoreMapping !== undefined);
      expect(row.route.includes('sigmoid here')).toBe(mapping === 'sigmoid');
      // Only a type whose scale depends on the model takes `score_mapping`; its row must say so.
      expect(row.route.includes('`score_mapping`')).toBe(engine.takesScoreMapping);
    });

    it('says how the instruction and max_tokens_per_doc reach the upstream', () => {
      const engine = upstreamEngine(row.types[0] as keyof typeof UPSTREAM_TYPE_DIALECTS);
      if (engine.acceptsInstruction) expect(row.instruction).toBe(`\`${engine.info.instruction}\``);
      else expect(['warning', 'Qwen3 prompt only']).toContain(row.instruction);
      const tokenLimit = engine.info.tokenLimit;
      if (tokenLimit.kind === 'per-document') expect(row.maxTokensPerDocument).toBe(`\`${tokenLimit.wire}\``);
      else if (tokenLimit.kind === 'model-length')
        expect(row.maxTokensPerDocument).toBe(`\`${tokenLimit.wire}\`, warning`);
      else expect(row.maxTokensPerDocument).toBe('warning');
    });
  });
});
