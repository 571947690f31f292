/**
 * Errors a forge route raises on purpose; the server turns them into GitHub's JSON error shape:
 * `{"message", "documentation_url"}`, plus an `errors` array for 422 validation failures.
 */
export interface ValidationIssue {
  resource: string;
  field?: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

const docsRoot = 'https://docs.github.com/rest';

export class ApiError extends Error {
  readonly status: number;
  readonly errors: ValidationIssue[] | undefined;
  readonly documentationUrl: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: { errors?: ValidationIssue[]; documentationUrl?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = options.errors;
    this.documentationUrl = options.documentationUrl ?? docsRoot;
    this.headers = options.headers ?? {};
  }

  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found');

export function validationFailed(issues: ValidationIssue[], message = 'Validation Failed'): ApiError {
  return new ApiError(422, message, { errors: issues });
}

export function missingField(resource: string, field: string): ApiError {
  return validationFailed([{ resource, field, code: 'missing_field' }]);
}

export function invalidField(resource: string, field: string, message?: string): ApiError {
  return validationFailed([{ resource, field, code: 'invalid', ...(message ? { message } : {}) }]);
}
