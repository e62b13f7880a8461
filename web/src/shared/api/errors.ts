/** Every failure the API client reports: a machine code for the code, a sentence for people. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's stable code (`premium_required`, `not_found`, …) or `network` / `offline`. */
    readonly code: string,
    /** A sentence a listener understands. */
    message: string,
    /** When asking again may succeed (`Retry-After`), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetworkFailure(): boolean {
    return this.status === 0;
  }
}

/** The API's error body: `{"error": {"code", "message"}}`. */
interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', "Can't reach your Tonearm server. Check your connection and try again.");
}

/** Turns a failed response into an `ApiError` with a message worth showing. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let serverMessage: string | undefined;
  try {
    const body: unknown = await response.json();
    if (isErrorBody(body) && body.error) {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') serverMessage = body.error.message;
    }
  } catch {
    // Not JSON (a proxy's error page): fall back to the status.
  }
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new ApiError(response.status, code, humanMessage(response.status, code, serverMessage), Number.isFinite(retryAfter) ? retryAfter : undefined);
}

function capitalise(sentence: string): string {
  const trimmed = sentence.trim().replace(/\.$/, '');
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + '.';
}

function humanMessage(status: number, code: string, serverMessage: string | undefined): string {
  // The server words refusals (tier, permissions) for people: show them as they are.
  if (status === 403 && serverMessage) return capitalise(serverMessage);
  if (code === 'premium_required') return 'This needs a Premium account.';
  if (status === 401) return 'Your session has ended. Please sign in again.';
  // Mixes are remade as listening changes: an old link finds one that is gone.
  if (code === 'mix_not_found') return 'This mix has been replaced by newer ones. Find them on Home.';
  if (code === 'seed_not_found') return "That radio can't be started: what it would start from isn't in your library any more.";
  if (status === 404) return "This isn't in your library any more.";
  if (status === 429) return 'Too many requests just now. Wait a moment and try again.';
  if (status >= 500) return 'Your Tonearm server had a problem. Try again in a moment.';
  if (serverMessage) return capitalise(serverMessage);
  return `Something went wrong (HTTP ${status}).`;
}
