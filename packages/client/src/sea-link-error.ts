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

  /**
   * Whether a value is an error of this class (or of a subclass), from any installed copy of this package:
   * `SeaLinkError.isInstance` checks the brand alone; a subclass's, such as `RateLimitError.isInstance`,
   * also asks for a class of its name in the error's prototype chain, so it holds for its own errors only.
   */
  static isInstance<T extends SeaLinkError>(
    this: abstract new (
      ...args: never[]
    ) => T,
    value: unknown,
  ): value is T {
    if (
      typeof value !== 'object' ||
      value === null ||
      (value as { [SEA_LINK_ERROR_BRAND]?: unknown })[SEA_LINK_ERROR_BRAND] !== true
    ) {
      return false;
    }
    // biome-ignore lint/complexity/noThisInStatic: the class isInstance is called on, a subclass included.
    const wanted = this;
    if ((wanted as unknown) === SeaLinkError || value instanceof wanted) return true;
    // An error of another copy of the package: its classes are other objects, with the same names.
    for (let prototype = Object.getPrototypeOf(value); prototype !== null; ) {
      if (Object.hasOwn(prototype, 'constructor') && prototype.constructor?.name === wanted.name) return true;
      prototype = Object.getPrototypeOf(prototype);
    }
    return false;
  }
}
