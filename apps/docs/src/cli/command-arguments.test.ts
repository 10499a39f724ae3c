import { describe, expect, it } from 'vitest';
import { commandArguments } from './command-arguments.js';

describe('commandArguments', () => {
  it('drops the bare -- pnpm passes on before the options, and nothing else', () => {
    expect(commandArguments(['--', '--port', '4001'])).toEqual(['--port', '4001']);
    expect(commandArguments(['--port', '4001'])).toEqual(['--port', '4001']);
    expect(commandArguments([])).toEqual([]);
    expect(commandArguments(['--out-dir', 'x', '--'])).toEqual(['--out-dir', 'x', '--']);
  });
});
