const SEA_LINK_ERROR_BRAND = Symbol.for('sealink.rerank.error');

/**
 * The base class of every error this client throws. Catch it to handle any SeaLink failure.
 *
 * `error instanceof SeaLinkError` fails when two copies of this package are installed (for example an ESM
 * and a CommonJS copy); {@link SeaLinkError.isInstance} checks a `Symbol.for` brand instead and works
 * across copies.
 */
export class SeaLinkError extends Error {
  /** The brand that {@link SeaLinkError.isInstance} checks; shared by every copy of this package. */
  readonly [SEA_LINK_ERROR_BRAND] = true;

  override name = 'SeaLinkError';

  /** Whether a value is an error of this package, from any installed copy of it. */
  static isInstance(value: unknown): value is SeaLinkError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [SEA_LINK_ERROR_BRAND]?: unknown })[SEA_LINK_ERROR_BRAND] === true
    );
  }
}
