import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAIL_KINDS } from "../domain/mail-preferences/events.js";
import type { MinorUnits, OrderId } from "../shared/codecs.js";
import type { Language } from "./language.js";
import type { MailIntent } from "./mail-intent.js";
import { escapeHtml, renderMail } from "./templates.js";

const intent = (over: Partial<MailIntent> = {}): MailIntent => ({
  kind: "placed",
  eventId: "e-1",
  orderId: "o-1" as OrderId,
  occurredAt: "2026-12-31T21:30:00.000Z",
  total: 1_234_550 as MinorUnits,
  ...over,
});

describe("mail templates", () => {
  it("write money and instants as each language does, in the shop's time zone", () => {
    const ru = renderMail(intent(), { name: "Ольга", language: "ru" });
    expect(ru.text).toMatch(/12\s345,50\s₽/);
    expect(ru.text).toContain("1 января 2027");
    expect(ru.text).toContain("00:30");
    const en = renderMail(intent(), { name: "Olga", language: "en" });
    expect(en.text).toContain("RUB\u00a012,345.50");
    expect(en.text).toContain("1 January 2027");
  });

  it("have a subject, plain text and HTML for every kind in both languages", () => {
    for (const language of ["ru", "en"] as const) {
      for (const kind of MAIL_KINDS) {
        const mail = renderMail(intent({ kind, reason: "r" }), { name: "N", language });
        expect(mail.subject).toContain("o-1");
        expect(mail.text).toContain("o-1");
        expect(mail.html).toContain(`<html lang="${language}">`);
      }
    }
  });

  it("say the delivery window when the delivery context gives one", () => {
    const window = { from: "2027-01-02T07:00:00.000Z", to: "2027-01-02T10:00:00.000Z" };
    const mail = renderMail(intent({ kind: "courier_assigned", window }), {
      name: "Olga",
      language: "en",
    });
    expect(mail.text).toMatch(/Delivery window: 2 January 2027.*10:00.*13:00/);
  });

  it("escape every interpolated value in HTML, whatever it holds, and keep it whole in text", () => {
    const language = fc.constantFrom<Language>("ru", "en");
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), language, (name, reason, order, lang) => {
        const mail = renderMail(intent({ kind: "cancelled", reason, orderId: order as OrderId }), {
          name,
          language: lang,
        });
        // Outside the template's own tags, no `<` survives: nothing a value holds becomes markup.
        const stripped = mail.html.replace(
          /<\/?(html|body|p|b)( lang="(ru|en)")?>|<!doctype html>/g,
          "",
        );
        expect(stripped).not.toMatch(/[<>]/);
        expect(mail.html).toContain(escapeHtml(reason));
        expect(mail.text).toContain(reason);
        expect(mail.text).toContain(name);
      }),
    );
  });
});
