import type { OutboxMessage } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerAccount } from "../../../core/src/test-support/accounts.js";
import { startTestApps, type TestApps } from "./test-apps.js";
import { call } from "./test-process.js";

let world: TestApps;
let admin: Record<string, string>;
let olga: Record<string, string>;

const customer = (id: string, disabled = false) => customerAccount(id, { disabled });

const message = (id: string, customerId: string): OutboxMessage =>
  ({
    id,
    kind: "placed",
    orderId: `o-${id}`,
    customerId,
    mail: {
      messageId: `<${id}.notification@mebel.example>`,
      from: "shop@mebel.example",
      to: `${customerId}@example.com`,
      subject: "Order placed",
      text: "text",
      html: "<p>html</p>",
    },
  }) as OutboxMessage;

/** A message the worker tried once and the server refused for good. */
const failedOnce = async (id: string, customerId: string) => {
  await world.outbox.record(`test.sender.${id}`, [message(id, customerId)], 0n, null);
  await world.outbox.markFailed(id, 1, "550 5.1.1 No such mailbox");
};

beforeAll(async () => {
  world = await startTestApps();
  await world.accounts.create(customer("olga"));
  await world.accounts.create(customer("gone", true));
  admin = await world.issuer.bearer("admin-1", ["admin"]);
  olga = await world.issuer.bearer("olga", ["customer"]);
  await failedOnce("m-1", "olga");
});
afterAll(() => world?.close());

const resend = (id: string, body: unknown, who = admin) =>
  call("POST", `${world.urls.site}/admin/mail/${id}/resend`, body, who);

describe("failed mail in the back office", () => {
  it("lists a failed message with why, whose it is, and no contents", async () => {
    const answer = await call("GET", `${world.urls.site}/admin/mail/failed`, undefined, admin);
    expect(answer.status).toBe(200);
    expect(answer.body.messages).toEqual([
      {
        id: "m-1",
        kind: "placed",
        orderId: "o-m-1",
        customerId: "olga",
        attempts: 1,
        error: "550 5.1.1 No such mailbox",
        resends: [],
      },
    ]);
  });

  it("sends it again once, kept with who and why; a second resend is refused with a code", async () => {
    const answer = await resend("m-1", { reason: "the customer's mailbox works again" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: "m-1",
      status: "pending",
      resend: {
        by: "admin-1",
        reason: "the customer's mailbox works again",
        previousError: "550 5.1.1 No such mailbox",
        previousAttempts: 1,
        addressChanged: false,
      },
    });
    expect(await world.outbox.stats(new Date())).toMatchObject({ failed: 0, depth: 1 });
    expect(await world.outbox.due(new Date(), 10)).toMatchObject([{ id: "m-1", attempts: 0 }]);

    const again = await resend("m-1", { reason: "once more" });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body).toMatchObject({ code: "MAIL_NOT_FAILED", details: { status: "pending" } });
  });

  it("refuses a message that is not there, a closed account's, a blank reason, and a customer", async () => {
    expect((await resend("m-404", { reason: "why not" })).body.code).toBe("MAIL_NOT_FOUND");
    expect((await resend("m-404", { reason: "why not" })).status).toBe(404);
    await failedOnce("m-2", "gone");
    const closed = await resend("m-2", { reason: "try it" });
    expect([closed.status, closed.body.code]).toEqual([409, "MAIL_RECIPIENT_CLOSED"]);
    for (const bad of [{}, { reason: "   " }, { reason: "x".repeat(501) }, { reason: 1 }]) {
      const answer = await resend("m-2", bad);
      expect([answer.status, answer.body.code]).toEqual([400, "INVALID_REQUEST"]);
    }
    expect((await resend("m-2", { reason: "mine" }, olga)).status).toBe(403);
    expect(
      (await call("GET", `${world.urls.site}/admin/mail/failed`, undefined, olga)).status,
    ).toBe(403);
    // None of that changed it: still failed, as it was.
    expect(await world.outbox.find("m-2")).toMatchObject({ status: "failed", attempts: 1 });
  });
});
