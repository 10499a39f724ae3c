import type { Model } from '@sealink/rerank-contract';
import type { ScoringBackend } from '../backend/scoring-backend-v1.js';

/** How a model is registered: a customer-visible id mapped to a backend instance, with its own limits. */
export interface ModelRegistration {
  /** The customer-visible model id, used as `model` in requests. */
  id: string;
  /** The backend that scores for this model. The registry owns it: it loads it at start and closes it at shutdown. */
  backend: ScoringBackend;
  /** The most documents one request may carry; capped at the contract's `MAX_DOCUMENTS`, which is the default. */
  maxDocuments?: number | undefined;
  /** The instruction sent to the backend when a request has none. */
  defaultInstruction?: string | undefined;
  /** Who serves the model, as listed by `GET /v1/models`; defaults to `sealink`. */
  ownedBy?: string | undefined;
  /** A sentence about the model, as listed by `GET /v1/models`. */
  description?: string | undefined;
  /** Unix time in seconds at which the model was registered; defaults to the time the registry is built. */
  created?: number | undefined;
  /** How many backend calls one request may have running at once when it is split; defaults to 4. */
  maxConcurrentCalls?: number | undefined;
}

/** A registered model with every default applied. */
export interface RegisteredModel {
  /** The customer-visible model id. */
  readonly id: string;
  /** The backend that scores for this model. */
  readonly backend: ScoringBackend;
  /** The most documents one request may carry. */
  readonly maxDocuments: number;
  /** The instruction sent to the backend when a request has none. */
  readonly defaultInstruction: string | undefined;
  /** How many backend calls one split request may have running at once. */
  readonly maxConcurrentCalls: number;
  /** The model as `GET /v1/models` lists it. */
  readonly listing: Model;
}
