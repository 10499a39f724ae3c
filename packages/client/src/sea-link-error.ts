/**
 * The key of the brand every SeaLink error carries: its kind, the kinds of its classes from `SeaLinkError`
 * down joined by `/`, for example `SeaLinkError/APIError/RateLimitError`. `Symbol.for` makes it one key in
 * every copy of this package, and the kinds are string literals, which a minifier leaves alone.
 */
const SEA_LINK_ERROR_BRAND = Symbol.for('sealink.rerank.error');

/** The key of the kind an error class of this package declares, as a static of its own. @internal */
export const ERROR_KIND = Symbol.for('sealink.rerank.error.kind');

/**
 * The base class of every error this client throws. Catch it to handle any SeaLink failure.
 *
 * `error instanceof SeaLinkError` fails when two copies of this package are installed (for example an ESM
 * and a CommonJS copy); {@link SeaLinkError.isInstance} checks a `Symbol.for` brand instead and works
 * across copies.
 */
export class SeaLinkError extends Error {
  /** This class's kind, the last part of its errors' brand. @internal */
  static readonly [ERROR_KIND]: string = 'SeaLinkError';

  /**
   * The brand that {@link SeaLinkError.isInstance} checks, shared by every copy of this package: the error's
   * kind, such as `SeaLinkError/APIError/RateLimitError`.
   */
  readonly [SEA_LINK_ERROR_BRAND]: string;

  override name = 'SeaLinkError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this[SEA_LINK_ERROR_BRAND] = kindOf(new.target);
  }

  /**
   * Whether a value is an error of this class (or of a subclass), from any installed copy of this package:
   * `SeaLinkError.isInstance` checks the brand alone; a subclass's, such as `RateLimitError.isInstance`,
   * also asks for that class's kind in the brand, so it holds for its own errors only. The brand carries
   * kinds, not class names, so it holds in a minified build too. The `isInstance` of an app's own subclass
   * is `instanceof`.
   */
  static isInstance<T extends SeaLinkError>(
    this: abstract new (
      ...args: never[]
    ) => T,
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: the class isInstance is called on, a subclass included.
    return isErrorOf(this, value);
  }
}

/** Whether `value` is an error of the class `wanted` or of a subclass, from any copy of this package. */
function isErrorOf(wanted: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brand = (value as { [SEA_LINK_ERROR_BRAND]?: unknown })[SEA_LINK_ERROR_BRAND];
  // `true`: the brand of an error that names no kind.
  if (typeof brand !== 'string' && brand !== true) return false;
  if (value instanceof wanted) return true;
  // An error of another copy of the package: its classes are other objects, with the same kinds. An app's
  // own subclass declares no kind: only its own errors (instanceof) are of it.
  if (!Object.hasOwn(wanted, ERROR_KIND)) return false;
  const kind = kindOf(wanted);
  if (kind === SeaLinkError[ERROR_KIND]) return true;
  return typeof brand === 'string' && (brand === kind || brand.startsWith(`${kind}/`));
}

/**
 * The kind of the errors of a class: the kinds its classes declare, from `SeaLinkError` down, joined by `/`.
 * A class that declares none (an app's own subclass) adds nothing.
 */
function kindOf(errorClass: object): string {
  const kinds: string[] = [];
  for (let current: object | null = errorClass; current !== null; current = Object.getPrototypeOf(current)) {
    if (Object.hasOwn(current, ERROR_KIND)) kinds.unshift((current as { [ERROR_KIND]: string })[ERROR_KIND]);
  }
  return kinds.join('/');
}
