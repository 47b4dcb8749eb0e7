// The Prometheus HTTP API, as the query role serves it.

export class ApiError extends Error {
  constructor(status, errorType, message) {
    super(errorType ? `${errorType}: ${message}` : message);
    this.status = status;
    this.errorType = errorType;
  }
}

/** GET (or POST with a form body when `form` is given) and unwrap {status, data, warnings, infos}. */
export async function api(path, params, { form = false, signal } = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') {
      query.append(name, String(value));
    }
  }
  const request = form
    ? { method: 'POST', body: query, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, signal }
    : { method: 'GET', signal };
  const url = form || [...query].length === 0 ? path : `${path}?${query}`;
  const response = await fetch(url, request);
  let body;
  try {
    body = await response.json();
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(response.status, null, `HTTP ${response.status} ${response.statusText} from ${path}`);
  }
  if (body.status !== 'success') {
    throw new ApiError(response.status, body.errorType, body.error ?? `HTTP ${response.status}`);
  }
  return { data: body.data, warnings: body.warnings ?? [], infos: body.infos ?? [] };
}

/** `name{a="1", b="2"}` for a metric's labels. */
export function formatSeries(metric) {
  const { __name__: name, ...rest } = metric ?? {};
  const labels = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (labels.length === 0) {
    return name ?? '{}';
  }
  return `${name ?? ''}{${labels.join(', ')}}`;
}
