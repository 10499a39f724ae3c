const POOL_SIZE = 4096;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

/**
 * `byteCount` random bytes as lowercase hexadecimal, from the platform's cryptographic random source.
 * Bytes are drawn from a pool refilled 4 KiB at a time, since one `getRandomValues` call per id cost
 * about 7% of a request's CPU in the mock server.
 */
export function randomHex(byteCount: number): string {
  if (byteCount > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} bytes at a time`);
  if (poolOffset + byteCount > POOL_SIZE) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let hex = '';
  for (let index = poolOffset; index < poolOffset + byteCount; index++) hex += HEX[pool[index]!];
  poolOffset += byteCount;
  return hex;
}
