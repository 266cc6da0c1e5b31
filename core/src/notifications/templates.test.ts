import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAIL_KINDS } from "../domain/mail-preferences/events.js";
import type { IsoInstant, MinorUnits, OrderId } from "../shared/codecs.js";
import type { Language } from "./language.js";
import type { MailIntent } from "./mail-intent.js";
import { defaultMailStyle, escapeHtml, renderMail } from "./templates.js";

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

  describe("given a courier assigned with a window, in the shop's time zone", () => {
    const window = {
      from: "2026-12-08T07:00:00.000Z" as IsoInstant,
      to: "2026-12-08T11:00:00.000Z" as IsoInstant,
    };
    const assigned = intent({ kind: "courier_assigned", courierId: "ivan", window });
    const style = { ...defaultMailStyle, courierNames: { ivan: "Ivan" } };

    it("tells an English customer the day and the hours, in text and HTML", () => {
      const mail = renderMail(assigned, { name: "Olga", language: "en" }, style);
      expect(mail.text).toContain(
        "Your courier Ivan will come on 8 December between 10:00 and 14:00.",
      );
      expect(mail.html).toContain(
        "Your courier <b>Ivan</b> will come on <b>8 December</b> between <b>10:00</b> and <b>14:00</b>.",
      );
    });

    it("tells a Russian customer the same in Russian", () => {
      const mail = renderMail(
        assigned,
        { name: "Ольга", language: "ru" },
        {
          ...style,
          courierNames: { ivan: "Иван" },
        },
      );
      expect(mail.text).toContain("Ваш курьер Иван приедет 8 декабря с 10:00 до 14:00.");
      expect(mail.html).toContain("<b>8 декабря</b> с <b>10:00</b> до <b>14:00</b>");
    });

    it("names a courier it has no name for by id", () => {
      const mail = renderMail(assigned, { name: "Olga", language: "en" });
      expect(mail.text).toContain("Your courier ivan will come on 8 December");
    });
  });

  it.each([
    ["en", "Your courier Ivan will come; we will tell you the time."],
    ["ru", "Когда приедет ваш курьер Ivan, мы сообщим отдельно."],
  ] as const)("say, when no window is known (%s), that the time will follow", (language, line) => {
    const mail = renderMail(
      intent({ kind: "courier_assigned", courierId: "ivan", window: null }),
      { name: "N", language },
      { ...defaultMailStyle, courierNames: { ivan: "Ivan" } },
    );
    expect(mail.text).toContain(line);
    expect(mail.text).not.toMatch(/\d\d:\d\d/);
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
