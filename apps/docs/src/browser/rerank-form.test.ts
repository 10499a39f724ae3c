import { execFileSync } from 'node:child_process';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { buildRerankRequestBody, type RerankFormFields, rerankCurlCommand } from './rerank-form.js';

const exampleFields: RerankFormFields = {
  model: EXAMPLE_RERANK_REQUEST.model,
  query: EXAMPLE_RERANK_REQUEST.query,
  documents: EXAMPLE_RERANK_REQUEST.documents.join('\n'),
  topN: String(EXAMPLE_RERANK_REQUEST.top_n),
  returnDocuments: true,
  instruction: '',
};

describe('buildRerankRequestBody', () => {
  it("turns the prefilled form into the public API page's example request", () => {
    expect(buildRerankRequestBody(exampleFields)).toEqual({
      ...EXAMPLE_RERANK_REQUEST,
      return_documents: true,
    });
  });

  it('skips blank lines, keeps the text of the others, and omits empty optional fields', () => {
    const body = buildRerankRequestBody({
      ...exampleFields,
      model: ' bm25 ',
      documents: '\r\n  first  \r\n\n   \nsecond\n',
      topN: ' ',
      returnDocuments: false,
    });
    expect(body).toEqual({
      model: 'bm25',
      query: EXAMPLE_RERANK_REQUEST.query,
      documents: ['  first  ', 'second'],
      return_documents: false,
    });
  });

  it('sends top_n as typed when it is not a number, so the server can say what is wrong', () => {
    expect(buildRerankRequestBody({ ...exampleFields, topN: 'two' }).top_n).toBe('two');
    expect(buildRerankRequestBody({ ...exampleFields, topN: '2.5' }).top_n).toBe(2.5);
    expect(buildRerankRequestBody({ ...exampleFields, instruction: 'Judge it' }).instruction).toBe(
      'Judge it',
    );
  });
});

describe('rerankCurlCommand', () => {
  it('quotes the body so a shell passes it to curl unchanged, quotes included', () => {
    const body = buildRerankRequestBody({ ...exampleFields, query: `it's "quoted" $HOME \`x\`` });
    const command = rerankCurlCommand('http://127.0.0.1:4010/v1/rerank', body);
    expect(command).toContain('Bearer $SEALINK_API_KEY');
    const dataArgument = command.slice(command.indexOf('-d ') + 3);
    const echoed = execFileSync('sh', ['-c', `printf %s ${dataArgument}`], { encoding: 'utf8' });
    expect(JSON.parse(echoed)).toEqual(body);
  });
});
