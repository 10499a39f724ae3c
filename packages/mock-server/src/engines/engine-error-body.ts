import type { DialectName } from '@sealink/rerank-contract/dialects';

/** Why a mock engine refuses a request; each engine words and codes it its own way. */
export type EngineErrorKind =
  | 'unauthorized'
  | 'invalid-json'
  | 'invalid-body'
  | 'too-many-documents'
  | 'input-too-long'
  | 'model-not-found'
  | 'overloaded'
  | 'injected'
  | 'internal';

/** The status each kind gets from an engine that answers like FastAPI (422 on schema errors). */
const FASTAPI_STATUS: Record<EngineErrorKind, number> = {
  unauthorized: 401,
  'invalid-json': 422,
  'invalid-body': 422,
  'too-many-documents': 422,
  'input-too-long': 422,
  'model-not-found': 400,
  overloaded: 429,
  injected: 500,
  internal: 500,
};

/** vLLM (`/v1/rerank` and `/score` alike): every validation problem 400, an unknown model 404, 503 while it cannot take more. */
const VLLM_STATUS: Record<EngineErrorKind, number> = {
  ...FASTAPI_STATUS,
  'invalid-json': 400,
  'invalid-body': 400,
  'too-many-documents': 400,
  'input-too-long': 400,
  'model-not-found': 404,
  overloaded: 503,
};

/** The status of each kind, per engine, as the engine itself answers. */
const STATUS_BY_DIALECT: Record<DialectName, Record<EngineErrorKind, number>> = {
  // text-embeddings-inference: axum's JSON extractor gives 400/422; validation (batch size, input length) 413; queue full 429.
  tei: {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'too-many-documents': 413,
    'input-too-long': 413,
    'model-not-found': 422,
  },
  'vllm-rerank': VLLM_STATUS,
  'vllm-score': VLLM_STATUS,
  infinity: { ...FASTAPI_STATUS, 'too-many-documents': 422, 'model-not-found': 400, overloaded: 503 },
  'llama-cpp': {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
    'model-not-found': 400,
    overloaded: 503,
  },
  'cohere-v2': {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
    'model-not-found': 404,
  },
  'cohere-v1': {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
    'model-not-found': 404,
  },
  jina: { ...FASTAPI_STATUS },
  voyage: {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
  },
  dashscope: {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
    'model-not-found': 400,
  },
  'dashscope-compatible': {
    ...FASTAPI_STATUS,
    'invalid-json': 400,
    'invalid-body': 400,
    'too-many-documents': 400,
    'input-too-long': 400,
    'model-not-found': 400,
  },
};

/** The HTTP status an engine of `dialect` answers a refusal of `kind` with; `injected` takes the given status. */
export function engineErrorStatus(dialect: DialectName, kind: EngineErrorKind, injectedStatus = 500): number {
  return kind === 'injected' ? injectedStatus : STATUS_BY_DIALECT[dialect][kind];
}

const TEI_ERROR_TYPES: Record<EngineErrorKind, string> = {
  unauthorized: 'Unhealthy',
  'invalid-json': 'Validation',
  'invalid-body': 'Validation',
  'too-many-documents': 'Validation',
  'input-too-long': 'Validation',
  'model-not-found': 'Validation',
  overloaded: 'Overloaded',
  injected: 'Backend',
  internal: 'Backend',
};

const DASHSCOPE_CODES: Record<EngineErrorKind, string> = {
  unauthorized: 'InvalidApiKey',
  'invalid-json': 'InvalidParameter',
  'invalid-body': 'InvalidParameter',
  'too-many-documents': 'InvalidParameter',
  'input-too-long': 'InvalidParameter',
  'model-not-found': 'ModelNotFound',
  overloaded: 'Throttling.RateQuota',
  injected: 'InternalError',
  internal: 'InternalError',
};

/** The error body an engine of `dialect` sends, in that engine's own shape. */
export function engineErrorBody(
  dialect: DialectName,
  kind: EngineErrorKind,
  status: number,
  message: string,
): unknown {
  switch (dialect) {
    case 'tei':
      return { error: message, error_type: TEI_ERROR_TYPES[kind] };
    case 'cohere-v1':
    case 'cohere-v2':
      return { id: crypto.randomUUID(), message };
    case 'jina':
    case 'voyage':
      return { detail: message };
    case 'dashscope':
      return { code: DASHSCOPE_CODES[kind], message, request_id: crypto.randomUUID() };
    case 'infinity':
      // Infinity keeps FastAPI's default handlers: schema failures (422) answer a list of
      // `{ type, loc, msg }`, a wrong `--api-key` and an unknown route `{ detail: "..." }`; only its own
      // `OpenAIException`s (an unknown model, say) are OpenAI-style.
      if (status === 422) return { detail: [{ type: 'value_error', loc: ['body'], msg: message }] };
      if (kind === 'unauthorized' || status === 404) return { detail: message };
      return openAiErrorBody(kind, status, message);
    case 'vllm-rerank':
    case 'vllm-score':
      // vLLM's `--api-key` middleware answers 401 with a bare string: `{ "error": "Unauthorized" }`.
      if (kind === 'unauthorized') return { error: message };
      return openAiErrorBody(kind, status, message);
    case 'llama-cpp':
    case 'dashscope-compatible':
      return openAiErrorBody(kind, status, message);
  }
}

/** The OpenAI-style error body `{ error: { message, type, code } }`. */
function openAiErrorBody(kind: EngineErrorKind, status: number, message: string): unknown {
  return {
    error: {
      message,
      type: kind === 'unauthorized' ? 'authentication_error' : 'invalid_request_error',
      code: status,
    },
  };
}
