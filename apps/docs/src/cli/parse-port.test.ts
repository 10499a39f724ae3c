import { describe, expect, it } from 'vitest';
import { parsePort } from './parse-port.js';

describe('parsePort', () => {
  it.each([
    ['0', 0],
    ['4000', 4000],
    ['65535', 65_535],
  ])('reads %j as %d', (text, port) => {
    expect(parsePort('--port', text)).toBe(port);
  });

  it.each(['', ' ', 'abc', '-1', '65536', '80.5', '1e3x'])('rejects %j, naming the option', (text) => {
    expect(() => parsePort('--mock-port', text)).toThrow(
      new RangeError(`--mock-port must be an integer from 0 to 65535, got '${text}'.`),
    );
  });
});
