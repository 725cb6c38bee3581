/**
 * Errors with a stable code (LMC_ERR_<AREA>_<REASON>), an HTTP status and whether a retry may succeed.
 * Each area declares its codes in its own errors.ts with `defineErrors`; docs/errors.md is generated from
 * the registry (`npm run gen:errors`) and a test keeps the two in step.
 *
 * @example
 *   export const UserErrors = defineErrors('USER', { NOT_FOUND: { status: 404, message: 'user not found' } });
 *   throw UserErrors.NOT_FOUND.create({ detail: 'user 42' });
 */
export interface ErrorSpec {
  status: number;
  message: string;
  retryable?: boolean;
}

export interface ErrorDetails {
  /** More precise text, appended to the message. */
  detail?: string;
  /** For validation errors: the offending field's path (e.g. "settings.host", "line 12: email"). */
  field?: string;
  /** Anything a client may use (ids, lists). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class LmcError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly field?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: string, spec: ErrorSpec, details: ErrorDetails = {}) {
    const msg = details.detail ? `${spec.message}: ${details.detail}` : spec.message;
    super(msg, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LmcError';
    this.code = code;
    this.status = spec.status;
    this.retryable = spec.retryable ?? false;
    this.field = details.field;
    this.data = details.data;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.data ? { data: this.data } : {}),
      retryable: this.retryable,
    };
  }
}

export interface ErrorFactory {
  readonly code: string;
  readonly spec: ErrorSpec;
  create(details?: ErrorDetails | string): LmcError;
  is(e: unknown): e is LmcError;
}

const registry = new Map<string, { area: string; spec: ErrorSpec }>();

export function defineErrors<K extends string>(area: string, specs: Record<K, ErrorSpec>): Record<K, ErrorFactory> {
  const out = {} as Record<K, ErrorFactory>;
  for (const key of Object.keys(specs) as K[]) {
    const code = `LMC_ERR_${area}_${key}`;
    const spec = specs[key];
    if (registry.has(code) && registry.get(code)!.spec !== spec) throw new Error(`error code ${code} defined twice`);
    registry.set(code, { area, spec });
    out[key] = {
      code,
      spec,
      create: (d) => new LmcError(code, spec, typeof d === 'string' ? { detail: d } : d),
      is: (e: unknown): e is LmcError => e instanceof LmcError && e.code === code,
    };
  }
  return out;
}

/** All codes defined so far (after the modules that define them were imported). */
export function registeredErrors(): Array<{ code: string; area: string; spec: ErrorSpec }> {
  return [...registry.entries()].map(([code, v]) => ({ code, ...v })).sort((a, b) => a.code.localeCompare(b.code));
}

export const CommonErrors = defineErrors('COMMON', {
  VALIDATION: { status: 400, message: 'invalid request' },
  NOT_FOUND: { status: 404, message: 'not found' },
  UNAUTHENTICATED: { status: 401, message: 'missing or invalid credentials' },
  FORBIDDEN: { status: 403, message: 'your role does not allow this' },
  CONFLICT: { status: 409, message: 'conflict with the current state' },
  MAINTENANCE: { status: 503, message: 'the account is under maintenance while an import runs', retryable: true },
  INTERNAL: { status: 500, message: 'internal error', retryable: true },
  NOT_IMPLEMENTED: { status: 501, message: 'not implemented in this version' },
  RATE_LIMITED: { status: 429, message: 'too many requests', retryable: true },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'request body too large' },
});
