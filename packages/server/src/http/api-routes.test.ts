import { describe, expect, it } from 'vitest';
import { allowedMethodsOf, routePatternOf } from './api-routes.js';

describe('routePatternOf', () => {
  it('names the spec path of the route that serves a path, not the path itself', () => {
    expect(routePatternOf('/v1/models/some-random-id')).toBe('/v1/models/{model}');
    expect(routePatternOf('/v1/models/x%2Fy')).toBe('/v1/models/{model}');
    expect(routePatternOf('/v1/models')).toBe('/v1/models');
    expect(routePatternOf('/v1/rerank')).toBe('/v1/rerank');
    expect(routePatternOf('/metrics')).toBe('/metrics');
  });

  it('is undefined exactly when no route has the path', () => {
    for (const path of ['/v1/models/a/b', '/v1/rerank/', '/', '/v1/models/', '/nothing']) {
      expect({ path, pattern: routePatternOf(path) }).toEqual({ path, pattern: undefined });
      expect(allowedMethodsOf(path)).toEqual([]);
    }
    expect(allowedMethodsOf('/v1/models/abc')).toEqual(['GET', 'HEAD']);
  });
});
