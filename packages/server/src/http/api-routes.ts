import { listModelsRoute, rerankRoute, retrieveModelRoute } from '@sealink/rerank-contract';

/** A route the server answers: its method, its OpenAPI path and its Hono path. */
export interface ServedRoute {
  /** The HTTP method, upper case. */
  method: string;
  /** The path as the spec writes it, for example `/v1/models/{model}`; also the `route` label of metrics and logs. */
  path: string;
  /** The same path in Hono's syntax, for example `/v1/models/:model`. */
  honoPath: string;
}

/** A spec path (`/v1/models/{model}`) in Hono's syntax (`/v1/models/:model`). */
export function toHonoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

function served(method: string, path: string): ServedRoute {
  return { method: method.toUpperCase(), path, honoPath: toHonoPath(path) };
}

/**
 * The public API routes, taken from the contract's route objects (the same objects the OpenAPI spec is
 * generated from), so the paths the server answers and the spec cannot drift.
 */
export const PUBLIC_API_ROUTES = {
  rerank: served(rerankRoute.method, rerankRoute.path),
  listModels: served(listModelsRoute.method, listModelsRoute.path),
  retrieveModel: served(retrieveModelRoute.method, retrieveModelRoute.path),
} as const;

/** The operational routes: no authentication, not part of the public API spec. */
export const OPERATIONAL_ROUTES = {
  openApi: served('get', '/openapi.json'),
  health: served('get', '/healthz'),
  ready: served('get', '/readyz'),
  metrics: served('get', '/metrics'),
} as const;

/**
 * The compatibility routes: providers' rerank shapes served by the same registry, so existing clients
 * switch by changing only their base URL. Not part of the public API spec.
 */
export const COMPATIBILITY_ROUTES = {
  /** Cohere v2's `POST /v2/rerank`. */
  cohereRerank: served('post', '/v2/rerank'),
  /** HuggingFace TEI's `POST /rerank`. */
  teiRerank: served('post', '/rerank'),
} as const;

/** Every route the server answers. */
export const SERVED_ROUTES: readonly ServedRoute[] = [
  ...Object.values(PUBLIC_API_ROUTES),
  ...Object.values(OPERATIONAL_ROUTES),
  ...Object.values(COMPATIBILITY_ROUTES),
];

const routeMatchers = SERVED_ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/**
 * The spec path of the route that serves `path`, whatever its method (`/v1/models/{model}` for
 * `/v1/models/abc`), or `undefined` when no route has this path. A bounded `route` label for metrics
 * and logs: a 405 names the route's pattern, never the raw path, whose ids are chosen by the client.
 */
export function routePatternOf(path: string): string | undefined {
  for (const { route, pattern } of routeMatchers) {
    if (pattern.test(path)) return route.path;
  }
  return undefined;
}

/**
 * The methods a path is served with (`GET` routes also answer `HEAD`), or an empty list when no route
 * has this path: the difference between a 405 and a 404.
 */
export function allowedMethodsOf(path: string): string[] {
  const methods: string[] = [];
  for (const { route, pattern } of routeMatchers) {
    if (!pattern.test(path)) continue;
    methods.push(route.method);
    if (route.method === 'GET') methods.push('HEAD');
  }
  return methods;
}
