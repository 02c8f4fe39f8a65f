// Sample: a webhook receiver in Node (20+) with the TypeScript SDK's verifyWebhook.
//
//   WEBHOOK_SECRET=whsec_... PORT=8080 node samples/node-webhook-receiver/server.mjs
//
// Every POST is verified against the raw body before it is parsed: a bad or missing signature, or
// a timestamp more than five minutes off, is answered 400 and not acted on. A delivery that comes
// again (a retry after a timeout, a replay from the portal) has the same webhook-id: it is answered
// 200 and not acted on twice. Acting here is printing one JSON line per event to stdout; a real
// receiver would queue the work and answer at once (the platform waits 10 seconds at most).
// PORT=0 picks a free port; the first line printed says which.
import { createServer } from "node:http";

import { verifyWebhook, WebhookVerificationError } from "../../sdks/typescript/src/index.mjs";

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error("WEBHOOK_SECRET is required (the subscription's signing secret, whsec_...)");
  process.exit(2);
}
const seen = new Set(); // webhook-ids acted on (keep them in a database in production)

function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

const server = createServer((request, response) => {
  if (request.method !== "POST") return answer(response, 405, { error: "POST only" });
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let message;
    try {
      message = verifyWebhook(secret, request.headers, Buffer.concat(chunks));
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return answer(response, 400, { error: error.message });
    }
    const id = request.headers["webhook-id"];
    const first = !seen.has(id);
    seen.add(id);
    if (first) console.log(JSON.stringify({ webhookId: id, event: message.event, data: message.data }));
    answer(response, 200, { received: true, duplicate: !first });
  });
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1", () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
