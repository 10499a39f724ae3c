/**
 * What `app.request()` rejects with when a fault resets or hangs the connection of an in-process mock
 * app: there is no socket to destroy there, so the app throws, as `fetch` rejects on a reset.
 */
export class MockConnectionResetError extends Error {
  /** The Node-style error code of a reset connection. */
  readonly code = 'ECONNRESET';

  constructor(message = 'The mock reset the connection, as a fault asked.') {
    super(message);
    this.name = 'MockConnectionResetError';
  }
}
