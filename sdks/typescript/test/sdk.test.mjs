// The TypeScript SDK against a running server (node --test). tests/api/test_sdks.py starts the
// server, makes the data and sets: EMP_BASE_URL, EMP_TOKEN (an API key), EMP_EVENT_ID,
// EMP_TICKET_TYPE_ID, EMP_TITLES (the events' titles in order, JSON), EMP_RECEIVER_PORT and
// EMP_WEBHOOK_SECRET (a subscription to registration.created delivers to that port).
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { test } from "node:test";

import { ApiError, connect, iterate, pages, verifyWebhook, WebhookVerificationError } from "../src/index.mjs";

const env = process.env;
const client = connect(env.EMP_BASE_URL, env.EMP_TOKEN);

test("lists events page by page with a cursor, and resumes from a stored cursor", async () => {
  const titles = JSON.parse(env.EMP_TITLES);
  const seen = [];
  for await (const event of iterate(client, "/api/v1/events", { query: { sort: "title" }, pageSize: 2 })) {
    seen.push(event.title);
  }
  assert.deepEqual(seen, titles);

  const all = [];
  for await (const page of pages(client, "/api/v1/events", { query: { sort: "title" }, pageSize: 2 })) all.push(page);
  assert.equal(all.length, Math.ceil(titles.length / 2));
  assert.equal(all.at(-1).pagination.nextCursor, null);
  const stored = all[0].pagination.nextCursor; // what a sync keeps between runs
  const rest = [];
  for await (const event of iterate(client, "/api/v1/events", { query: { sort: "title" }, pageSize: 2, cursor: stored })) {
    rest.push(event.title);
  }
  assert.deepEqual(rest, titles.slice(2));
});

test("an error answer is an ApiError with the platform's code", async () => {
  const stranger = connect(env.EMP_BASE_URL, "emp_test_not-a-key");
  await assert.rejects(
    async () => {
      for await (const _ of iterate(stranger, "/api/v1/events")) assert.fail("no row for a bad key");
    },
    (error) => error instanceof ApiError && error.status === 401 && typeof error.error.code === "string",
  );
});

test("creates a registration once with an idempotency key, and verifies the webhook that announces it", async () => {
  const deliveries = [];
  const receiver = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  receiver.listen(Number(env.EMP_RECEIVER_PORT), "127.0.0.1");
  await once(receiver, "listening");
  try {
    const request = {
      params: { header: { "Idempotency-Key": "ts-sdk-order-1" } },
      body: {
        eventId: env.EMP_EVENT_ID,
        ticketTypeId: env.EMP_TICKET_TYPE_ID,
        attendees: [{ name: "Grace Hopper", email: "grace@example.com" }],
      },
    };
    const first = await client.POST("/api/v1/registrations", request);
    assert.equal(first.response.status, 201, JSON.stringify(first.error));
    const [registration] = first.data.data;
    assert.equal(registration.attendeeEmail, "grace@example.com");
    const again = await client.POST("/api/v1/registrations", request);
    assert.equal(again.response.status, 201);
    assert.equal(again.response.headers.get("Idempotent-Replayed"), "true");
    assert.equal(again.data.data[0].id, registration.id);

    for (let waited = 0; deliveries.length === 0 && waited < 100; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(deliveries.length, 1, "one delivery for one registration");
    const [{ headers, body }] = deliveries;
    const payload = verifyWebhook(env.EMP_WEBHOOK_SECRET, headers, body);
    assert.equal(payload.event, "registration.created");
    assert.equal(payload.data.id, registration.id);
    assert.throws(() => verifyWebhook(env.EMP_WEBHOOK_SECRET, headers, Buffer.concat([body, Buffer.from(" ")])), WebhookVerificationError);
    const forged = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    assert.throws(() => verifyWebhook(forged, headers, body), /no signature matches/);
    const late = Number(headers["webhook-timestamp"]) + 301;
    assert.throws(() => verifyWebhook(env.EMP_WEBHOOK_SECRET, headers, body, { now: late }), /tolerance/);
  } finally {
    receiver.close();
  }
});
