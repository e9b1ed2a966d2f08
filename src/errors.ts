/** Error codes a service may throw; one `app.onError` maps each to a status. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_input: 400,
  unsupported_format: 415,
  unreadable_file: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  upstream_error: 502,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A typed, user-facing error: `message` tells the user what was wrong and what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Error for a file that cannot be read; `where` names the line or field, e.g. "line 14". */
export function unreadable(message: string, where?: string): AppError {
  return new AppError('unreadable_file', where ? `${where}: ${message}` : message, where ? { where } : undefined);
}
