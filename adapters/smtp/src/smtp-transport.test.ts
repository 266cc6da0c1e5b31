import { afterEach, describe, expect, it } from "vitest";
import { type MailSink, startMailSink } from "./mail-sink.js";
import { redactSmtpUrl, smtpTransport } from "./smtp-transport.js";

const mail = {
  messageId: "<e-1.notification@mebel.example>",
  from: "Mebel <shop@mebel.example>",
  to: "olga@example.com",
  subject: "Заказ o-1 принят",
  text: "Здравствуйте!",
  html: "<p>Здравствуйте!</p>",
};

describe("the SMTP transport", () => {
  let sink: MailSink;
  afterEach(() => sink.close());

  it("delivers with the Message-ID it is given", async () => {
    sink = await startMailSink();
    const transport = smtpTransport(sink.smtpUrl);
    expect(await transport.send(mail)).toEqual({ kind: "sent" });
    transport.close();
    expect(sink.messages()).toMatchObject([
      { messageId: mail.messageId, subject: mail.subject, to: ["olga@example.com"], copies: 1 },
    ]);
  });

  it("reads a 4xx as temporary, a 5xx as permanent, and no connection as temporary", async () => {
    sink = await startMailSink();
    const transport = smtpTransport(sink.smtpUrl);
    sink.answer(() => ({ code: 451, message: "Greylisted, try later" }));
    expect(await transport.send(mail)).toMatchObject({
      kind: "temporary",
      reason: expect.stringMatching(/^451 (?!451)/),
    });
    sink.answer(() => ({ code: 550, message: "No such user" }));
    expect(await transport.send(mail)).toMatchObject({
      kind: "permanent",
      reason: expect.stringMatching(/^550 (?!550).*No such user/),
    });
    transport.close();
    const gone = sink.smtpUrl;
    await sink.close();
    sink = await startMailSink();
    const nowhere = smtpTransport(gone, { timeoutMs: 2_000 });
    expect(await nowhere.send(mail)).toMatchObject({
      kind: "temporary",
      reason: expect.stringMatching(/ECONNREFUSED|ECONNECTION|ESOCKET/),
    });
    nowhere.close();
  });

  it("never shows the URL's password", () => {
    expect(redactSmtpUrl("smtp://mailer:s3cret@smtp.example.com:587")).toBe(
      "smtp://mailer:***@smtp.example.com:587",
    );
    expect(redactSmtpUrl("not a url")).not.toContain("not a url");
  });
});
