// Declarations of index.mjs; the API's own types are generated (schema.d.ts).
import type { Client } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

/** The openapi-fetch client of the API, typed by its OpenAPI document. */
export type PlatformClient = Client<paths>;

export interface ConnectOptions {
  /** Pin a minor version (X-API-Version); without it the server's default answers. */
  apiVersion?: string;
  fetch?: typeof globalThis.fetch;
}

export function connect(baseUrl: string, token: string, options?: ConnectOptions): PlatformClient;

export type ErrorBody = components["schemas"]["ErrorResponse"]["error"];

export class ApiError extends Error {
  constructor(status: number, body: unknown);
  readonly status: number;
  readonly error: ErrorBody;
}

/** The list operations: GET paths whose 200 answer has data and pagination. */
export type ListPath = {
  [P in Extract<keyof paths, string>]: paths[P] extends {
    get: { responses: { 200: { content: { "application/json": { data: unknown[]; pagination: unknown } } } } };
  }
    ? P
    : never;
}[Extract<keyof paths, string>];

export type ListPage<P extends ListPath> =
  paths[P]["get"] extends { responses: { 200: { content: { "application/json": infer Body } } } } ? Body : never;

export type ListRow<P extends ListPath> = ListPage<P> extends { data: (infer Row)[] } ? Row : never;

export interface PageOptions<P extends ListPath> {
  /** The list's filters and sort (pagination parameters are set by the helper). */
  query?: Omit<NonNullable<paths[P]["get"]["parameters"]["query"]>, "cursor" | "pageSize">;
  /** Path parameters and headers, when the list has them. */
  params?: Omit<paths[P]["get"]["parameters"], "query">;
  pageSize?: number;
  /** Resume from a stored cursor; "" (the default) is the first page. */
  cursor?: string;
}

export function pages<P extends ListPath>(
  client: PlatformClient,
  path: P,
  options?: PageOptions<P>,
): AsyncGenerator<ListPage<P>, void, undefined>;

export function iterate<P extends ListPath>(
  client: PlatformClient,
  path: P,
  options?: PageOptions<P>,
): AsyncGenerator<ListRow<P>, void, undefined>;

export const TOLERANCE_SECONDS: number;

export class WebhookVerificationError extends Error {}

export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  options?: { tolerance?: number; now?: number },
): unknown;
