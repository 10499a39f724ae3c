import { describe, expect, it } from 'vitest';
import { EvaluationUsageError } from './evaluation-usage-error.js';
import { parseEvaluationArguments } from './parse-evaluation-arguments.js';

describe('parseEvaluationArguments', () => {
  it('reads every option, resolves relative paths from the given folder and ignores a bare --', () => {
    expect(
      parseEvaluationArguments(
        [
          '--',
          '--data',
          '../shared/data/scifact',
          '--split',
          'train',
          '--model',
          'bm25',
          '--limit',
          '50',
          '--config',
          'c.json',
        ],
        '/work/main',
      ),
    ).toEqual({
      data: '/work/shared/data/scifact',
      split: 'train',
      model: 'bm25',
      url: undefined,
      apiKey: undefined,
      config: '/work/main/c.json',
      limit: 50,
      help: false,
    });
  });

  it('defaults to the bm25 model and the test split', () => {
    const parsed = parseEvaluationArguments(['--data', '/data'], '/');
    expect(parsed).toMatchObject({ data: '/data', split: 'test', model: 'bm25', limit: undefined });
  });

  it('takes a URL and an API key', () => {
    const parsed = parseEvaluationArguments(
      ['--data', '/d', '--url', 'http://127.0.0.1:8080', '--api-key', 'sk-test'],
      '/',
    );
    expect(parsed).toMatchObject({ url: 'http://127.0.0.1:8080', apiKey: 'sk-test' });
  });

  it.each([
    [[], '--data <BEIR folder> is required'],
    [['--data', '/d', '--limit', '0'], '--limit must be a positive integer, got "0"'],
    [['--data', '/d', '--limit', '2.5'], '--limit must be a positive integer'],
    [['--data', '/d', '--bogus'], "Unknown option '--bogus'"],
    [['--data', '/d', 'extra'], 'unexpected argument "extra"'],
    [['--data', '/d', '--url', 'not a url'], '--url must be an absolute URL'],
    [['--data', '/d', '--api-key', 'k'], '--api-key needs --url'],
    [['--data', '/d', '--model', ' '], '--model must not be empty'],
    [['--data'], "Option '--data <value>' argument missing"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseEvaluationArguments(argv, '/')).toThrow(EvaluationUsageError);
    expect(() => parseEvaluationArguments(argv, '/')).toThrow(message);
  });

  it.each([
    [
      ['--data', '/d', '--url', 'ftp://127.0.0.1:8080'],
      '--url must be an http or https URL, got "ftp://127.0.0.1:8080"',
    ],
    [
      ['--data', '/d', '--url', 'http://admin:sk-pass-in-url@127.0.0.1:8080'],
      '--url must not carry a user name or password; give the key with --api-key (or SEALINK_API_KEY)',
    ],
  ])('refuses the server URL %j as a usage error, never echoing a password', (argv, message) => {
    let thrown: unknown;
    try {
      parseEvaluationArguments(argv, '/');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EvaluationUsageError);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as Error).message).not.toContain('sk-pass-in-url');
  });

  it('asks for help without a folder', () => {
    expect(parseEvaluationArguments(['--help'], '/').help).toBe(true);
  });
});
