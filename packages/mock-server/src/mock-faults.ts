import { checkListedMockFault, checkMockFault, type MockFault } from './mock-fault.js';
import { showValue } from './show-value.js';

/** Which requests a fault rule applies to; every given field must match. */
export interface MockFaultMatcher {
  /** The request path, exactly, for example `/v1/rerank`. */
  path?: string;
  /** The `model` of the JSON body, exactly. */
  model?: string;
  /** The `query` of the JSON body: exactly this text, or text the pattern matches. */
  query?: string | RegExp;
}

/** Options of {@link MockFaults.when}. */
export interface MockFaultRuleOptions {
  /** How many requests the rule applies to before it retires; unlimited by default. */
  times?: number;
}

/** A rule added with {@link MockFaults.when}. */
export interface MockFaultRule {
  /** Which requests it applies to. */
  readonly matcher: Readonly<MockFaultMatcher>;
  /** The fault it applies. */
  readonly fault: MockFault;
  /** How many requests it has applied to so far. */
  readonly applied: number;
  /** How many more requests it will apply to (`Infinity` when unlimited). */
  readonly remaining: number;
  /** Removes the rule. */
  remove(): void;
}

/** What a request looks like to the fault rules. */
export interface FaultCandidate {
  /** The request path. */
  path: string;
  /** The `model` of the JSON body, when it has a string one. */
  model: string | undefined;
  /** The `query` of the JSON body, when it has a string one. */
  query: string | undefined;
}

const MATCHER_FIELDS: readonly string[] = ['path', 'model', 'query'] satisfies (keyof MockFaultMatcher)[];

/**
 * Checks a matcher from JavaScript or a config: a misspelt field would be ignored (the rule then matches
 * every request) and a query neither text nor a RegExp would make every request fail in `matches`.
 * @throws TypeError naming what is wrong.
 */
function checkMatcher(matcher: unknown): MockFaultMatcher {
  if (typeof matcher !== 'object' || matcher === null || Array.isArray(matcher)) {
    throw new TypeError(
      `Invalid fault matcher: expected an object ({} matches every request), got ${showValue(matcher)}`,
    );
  }
  const fields = matcher as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!MATCHER_FIELDS.includes(key)) {
      throw new TypeError(
        `Invalid fault matcher: unknown field '${key}' (a matcher has path, model and query)`,
      );
    }
  }
  for (const key of ['path', 'model'] as const) {
    if (fields[key] !== undefined && typeof fields[key] !== 'string') {
      throw new TypeError(`Invalid fault matcher: '${key}' must be a string, got ${showValue(fields[key])}`);
    }
  }
  const { query } = fields;
  if (query !== undefined && !(typeof query === 'string' || query instanceof RegExp)) {
    throw new TypeError(
      `Invalid fault matcher: 'query' must be a string or a RegExp, got ${showValue(query)}`,
    );
  }
  return matcher as MockFaultMatcher;
}

/** Checks the options of a rule: a misspelt `times` would be ignored (the rule then applies forever). */
function checkRuleOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Invalid fault rule options: expected an object, got ${showValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'times') {
      throw new TypeError(`Invalid fault rule options: unknown field '${key}' (the options have times)`);
    }
  }
}

class FaultRule implements MockFaultRule {
  readonly matcher: Readonly<MockFaultMatcher>;
  readonly fault: MockFault;
  applied = 0;
  remaining: number;
  readonly #rules: Set<FaultRule>;

  constructor(matcher: MockFaultMatcher, fault: MockFault, times: number, rules: Set<FaultRule>) {
    this.matcher = { ...matcher };
    this.fault = fault;
    this.remaining = times;
    this.#rules = rules;
  }

  matches(candidate: FaultCandidate): boolean {
    const { path, model, query } = this.matcher;
    if (path !== undefined && candidate.path !== path) return false;
    if (model !== undefined && candidate.model !== model) return false;
    if (query === undefined) return true;
    if (candidate.query === undefined) return false;
    if (typeof query === 'string') return candidate.query === query;
    query.lastIndex = 0;
    return query.test(candidate.query);
  }

  take(): MockFault {
    this.applied++;
    this.remaining--;
    if (this.remaining <= 0) this.#rules.delete(this);
    return this.fault;
  }

  remove(): void {
    this.#rules.delete(this);
  }
}

/**
 * The faults a mock applies to the authenticated requests on its `/v1/` routes: a queue where each fault
 * applies to one following request, in order (a scenario such as 429, then 503, then a normal answer),
 * and rules that apply to the requests they match. A queued fault goes first; then the oldest matching rule.
 */
export class MockFaults {
  readonly #queue: MockFault[] = [];
  readonly #rules = new Set<FaultRule>();
  readonly #closed: AbortSignal | undefined;

  /**
   * @param closed the closing of the mock these faults belong to: once it aborts, no request can reach the
   * mock, so {@link enqueue}, {@link enqueueAll} and {@link when} throw rather than arm a fault that will
   * never apply ({@link clear} still runs, for cleanup code).
   */
  constructor(closed?: AbortSignal) {
    this.#closed = closed;
  }

  #checkOpen(method: string): void {
    if (this.#closed?.aborted) {
      throw new Error(
        `The mock was closed (close() or the end of its \`await using\` block): faults.${method}() would apply to no request.`,
      );
    }
  }

  /**
   * Queues faults; each applies to one following request, in order.
   * @throws InvalidMockFaultError when one is not a valid fault; Error after the mock closed.
   */
  enqueue(...faults: MockFault[]): void {
    this.#checkOpen('enqueue');
    this.enqueueAll(faults);
  }

  /**
   * Queues a list of faults of any length (spreading a long list into {@link enqueue} overflows the call
   * stack); each applies to one following request, in order. All or none: when one is invalid, none is queued.
   * @throws InvalidMockFaultError when one is not a valid fault; TypeError when `faults` is not iterable;
   * Error after the mock closed.
   */
  enqueueAll(faults: Iterable<MockFault>): void {
    this.#checkOpen('enqueueAll');
    // Array.from takes any object without an iterator as an empty list: one fault given here would be
    // dropped without a word.
    if (typeof (faults as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(`enqueueAll takes a list of faults (enqueue takes one), got ${showValue(faults)}`);
    }
    const list = Array.from(faults);
    // A fault of a longer list is named by its index; a fault given alone needs none.
    const checked = list.map((fault, index) =>
      checkListedMockFault(fault, list.length > 1 ? index : undefined),
    );
    for (const fault of checked) this.#queue.push(fault);
  }

  /**
   * Applies `fault` to every request that `matcher` matches, at most `options.times` times.
   * @throws InvalidMockFaultError when the fault is not valid; TypeError for a matcher or options with an
   * unknown or mistyped field; RangeError when `times` is not a positive integer; Error after the mock closed.
   */
  when(matcher: MockFaultMatcher, fault: MockFault, options: MockFaultRuleOptions = {}): MockFaultRule {
    this.#checkOpen('when');
    checkMatcher(matcher);
    checkRuleOptions(options);
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
      throw new RangeError(`times must be a positive integer, got ${times}`);
    }
    const rule = new FaultRule(matcher, checkMockFault(fault), times, this.#rules);
    this.#rules.add(rule);
    return rule;
  }

  /** The faults still queued, in order. */
  get pending(): readonly MockFault[] {
    return [...this.#queue];
  }

  /** The rules still active, oldest first. */
  get rules(): readonly MockFaultRule[] {
    return [...this.#rules];
  }

  /** Removes every queued fault and every rule (after the mock closed too). */
  clear(): void {
    this.#queue.length = 0;
    this.#rules.clear();
  }

  /** Takes the fault for one request: the next queued one, else the oldest matching rule's. */
  take(candidate: FaultCandidate): MockFault | undefined {
    const queued = this.#queue.shift();
    if (queued !== undefined) return queued;
    for (const rule of this.#rules) {
      if (rule.matches(candidate)) return rule.take();
    }
    return undefined;
  }
}
