/**
 * Calls to the gitwave API (same origin: the local gateway's `/api`, or CloudFront's `/ui/api` in
 * front of the HTTP API, with the signed-in person's token; auth.ts).
 */
import { apiBase, signInAgain, token } from './auth.ts';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const bearer = token();
  const res = await fetch(`${apiBase()}/${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && bearer) signInAgain();
  const text = await res.text();
  const value = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, (value && typeof value.message === 'string' ? value.message : null) ?? `${res.status} ${res.statusText}`);
  return value as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown) => call<T>('POST', path, body);
export const app = (name: string) => `applications/${encodeURIComponent(name)}`;
