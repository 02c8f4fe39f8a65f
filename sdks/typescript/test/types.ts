// Compiled by tsc --noEmit (tests/api/test_sdks.py): the declarations agree with the generated types.
import { connect, iterate, pages, verifyWebhook, type ListRow } from "../src/index.mjs";

export async function titles(baseUrl: string, token: string): Promise<string[]> {
  const client = connect(baseUrl, token, { apiVersion: "1.0" });
  const seen: string[] = [];
  for await (const event of iterate(client, "/api/v1/events", { query: { sort: "title" }, pageSize: 2 })) {
    const row: ListRow<"/api/v1/events"> = event;
    seen.push(row.title);
  }
  for await (const page of pages(client, "/api/v1/registrations", { pageSize: 10 })) {
    seen.push(...page.data.map((registration) => registration.attendeeEmail));
  }
  const created = await client.POST("/api/v1/registrations", {
    params: { header: { "Idempotency-Key": "order-1" } },
    body: { eventId: "e", ticketTypeId: "t", attendees: [{ name: "Ada", email: "ada@example.com" }] },
  });
  // The 201 is JSON or, asked for with Accept, XML text.
  if (created.data && typeof created.data !== "string") seen.push(created.data.data[0].id);
  verifyWebhook("whsec_", { "webhook-id": "msg" }, "{}");
  return seen;
}
