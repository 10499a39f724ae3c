import type { ConfigReferenceEntry } from '@sealink/rerank-server-app';

/** A small configuration reference in the server app's shape, with the edge cases the renderer must handle. */
export const SAMPLE_CONFIG_REFERENCE: readonly ConfigReferenceEntry[] = [
  {
    name: 'port',
    env: 'PORT',
    type: 'integer (0-65535)',
    default: '8080',
    description: 'The port to listen on.',
  },
  {
    name: 'api_keys',
    env: 'SEALINK_API_KEYS',
    type: 'comma-separated strings',
    default: '',
    description: 'Sent as `Authorization: Bearer <key>` | pipes and <b>tags</b> stay text.',
  },
  {
    name: 'models',
    env: '',
    type: 'list of models',
    default: '[{ "id": "bm25" }]',
    description: 'The model registry.',
  },
  {
    name: 'log_level',
    env: 'SEALINK_LOG_LEVEL',
    type: 'info | debug',
    default: 'info',
    description: 'Logs.',
  },
];
