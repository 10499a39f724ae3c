import type { HeaderOverrides } from './client-options.js';

/**
 * Applies headers on top of others, matching names without regard to case: a string sets a header, `null`
 * removes it, `undefined` leaves it alone.
 */
export function applyHeaders(target: Record<string, string>, headers: HeaderOverrides | undefined): void {
  if (headers === undefined) return;
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === null) delete target[key];
    else if (value !== undefined) target[key] = value;
  }
}
