/** Calls to the gitwave API (same origin: the local gateway, or CloudFront in front of the HTTP API). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const value = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, (value && typeof value.message === 'string' ? value.message : null) ?? `${res.status} ${res.statusText}`);
  return value as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown) => call<T>('POST', path, body);
export const app = (name: string) => `applications/${encodeURIComponent(name)}`;
