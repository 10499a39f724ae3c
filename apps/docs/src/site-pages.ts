/** One page of the docs site. */
export interface SitePage {
  /** Its file in the build output, at the top level, for example `quickstart.html`. */
  file: string;
  /** Its title, in the navigation and the browser tab. */
  title: string;
  /** What builds it: a markdown guide of `src/guides/`, the API reference, or the try-it console. */
  kind: 'guide' | 'reference' | 'console';
  /** For a guide, its markdown file in `src/guides/`. */
  guide?: string;
  /** One sentence on what the page is for, for the overview and the `description` meta tag. */
  summary: string;
}

/** Every page of the site, in navigation order. */
export const SITE_PAGES: readonly SitePage[] = [
  {
    file: 'index.html',
    title: 'Overview',
    kind: 'guide',
    guide: 'index.md',
    summary: 'What SeaLink Rerank is and where to start.',
  },
  {
    file: 'quickstart.html',
    title: 'Quickstart',
    kind: 'guide',
    guide: 'quickstart.md',
    summary: 'Your first rerank call with curl, Python, Node.js and the client SDK.',
  },
  {
    file: 'reference.html',
    title: 'API reference',
    kind: 'reference',
    summary: 'Every route, field and error of the API, from the OpenAPI 3.1 spec.',
  },
  {
    file: 'console.html',
    title: 'Try it',
    kind: 'console',
    summary: 'Send a real rerank request from the browser to any SeaLink server.',
  },
  {
    file: 'running-the-server.html',
    title: 'Running the server',
    kind: 'guide',
    guide: 'running-the-server.md',
    summary: 'Configuration, models and backends, auth, limits, metrics, shutdown and Docker.',
  },
  {
    file: 'errors-and-limits.html',
    title: 'Errors and limits',
    kind: 'guide',
    guide: 'errors-and-limits.md',
    summary: 'The error shape, every error type with its status, and the request limits.',
  },
  {
    file: 'mock-server.html',
    title: 'Testing with the mock server',
    kind: 'guide',
    guide: 'mock-server.md',
    summary: 'A contract-true local server with faults and a request journal for your tests.',
  },
  {
    file: 'quality-and-benchmarks.html',
    title: 'Quality and benchmarks',
    kind: 'guide',
    guide: 'quality-and-benchmarks.md',
    summary: 'Measure ranking quality on BEIR data and run the performance benchmarks.',
  },
];
