// TypeScript SDK of the Event Management Platform's REST API v1 (sdks/README.md).
//
// schema.d.ts is generated from the OpenAPI document by openapi-typescript (`make sdks`; never
// edit it) and types the openapi-fetch client that connect() returns: client.GET("/api/v1/events",
// { params: { query: { pageSize: 50 } } }). This module adds what a generator cannot know: the
// platform's credentials, cursor paging and webhook signature verification. Plain JavaScript with
// declarations beside it (index.d.mts), so Node runs it without a build step.
import { createHmac, timingSafeEqual } from "node:crypto";

import createClient from "openapi-fetch";

/** A client for baseUrl ("https://events.example") with an API key or an OAuth access token. */
export function connect(baseUrl, token, { apiVersion, fetch } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (apiVersion) headers["X-API-Version"] = apiVersion;
  return createClient({ baseUrl: baseUrl.replace(/\/+$/, ""), headers, ...(fetch ? { fetch } : {}) });
}

/** An error answer of the API: status, and the ErrorResponse's error object (code, message, details ...). */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : { code: "UNKNOWN", message: String(body) };
    super(`${status} ${error.code}: ${error.message}`);
    this.status = status;
    this.error = error;
  }
}

/**
 * Each page of a list operation from `cursor` on ("" is the first), following pagination.nextCursor.
 * Keyset paging: rows added while paging are neither skipped nor repeated.
 */
export async function* pages(client, path, { query = {}, pageSize = 100, cursor = "", params = {} } = {}) {
  let next = cursor;
  for (;;) {
    const { data, error, response } = await client.GET(path, {
      params: { ...params, query: { ...query, cursor: next, pageSize } },
    });
    if (error !== undefined) throw new ApiError(response.status, error);
    yield data;
    next = data.pagination.nextCursor;
    if (!next) return;
  }
}

/** Every row of a list operation, page after page. */
export async function* iterate(client, path, options) {
  for await (const page of pages(client, path, options)) yield* page.data;
}

export const TOLERANCE_SECONDS = 5 * 60;

/** The request is not a delivery of the platform signed with this secret, or it is too old or too new. */
export class WebhookVerificationError extends Error {}

function header(headers, name) {
  const value =
    typeof headers.get === "function"
      ? headers.get(name)
      : Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (value === undefined || value === null) throw new WebhookVerificationError(`missing header ${name}`);
  return Array.isArray(value) ? value.join(" ") : String(value);
}

/**
 * Verify a delivery (Standard Webhooks, v1) and return its parsed JSON payload.
 * `headers`: a Headers object or Node's request.headers; `body`: the raw body (string, Buffer or Uint8Array),
 * before any parsing. The signature is HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed by the
 * base64 part of the secret (`whsec_...`); `webhook-signature` lists one `v1,<base64>` per valid secret.
 */
export function verifyWebhook(secret, headers, body, { tolerance = TOLERANCE_SECONDS, now } = {}) {
  const id = header(headers, "webhook-id");
  const stamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!/^\d+$/.test(stamp)) throw new WebhookVerificationError("webhook-timestamp is not a number");
  const current = now ?? Date.now() / 1000;
  if (Math.abs(current - Number(stamp)) > tolerance) {
    throw new WebhookVerificationError("webhook-timestamp is outside the tolerance");
  }
  const raw = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${stamp}.`).update(raw).digest();
  for (const candidate of signatures.split(" ")) {
    const [version, signature] = candidate.split(",", 2);
    if (version !== "v1" || !signature) continue;
    const given = Buffer.from(signature, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return JSON.parse(raw.toString("utf8"));
  }
  throw new WebhookVerificationError("no signature matches");
}
