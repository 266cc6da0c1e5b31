import type { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import type { MailKind } from "../domain/mail-preferences/events.js";
import type { Language } from "./language.js";
import type { MailIntent } from "./mail-intent.js";

export interface Recipient {
  readonly name: string;
  readonly language: Language;
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailStyle {
  /** The shop's one currency (minor units are its cents). */
  readonly currency: string;
  /** Where the shop is: instants are told in its local time. */
  readonly timeZone: string;
  /** Couriers' names by id, as the delivery context lists them; an unknown one is named by id. */
  readonly courierNames?: Readonly<Record<string, string>>;
}

export const defaultMailStyle: MailStyle = { currency: "RUB", timeZone: "Europe/Moscow" };

const LOCALES: Record<Language, string> = { ru: "ru-RU", en: "en-GB" };

/** Every interpolated value goes through this before it meets HTML. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

/** Parts of a message: plain strings are the template's own words, values are interpolated. */
type Part = string | { readonly value: string };

interface Words {
  readonly greeting: (name: string) => ReadonlyArray<Part>;
  readonly signature: string;
}

interface Facts {
  readonly order: string;
  readonly at: string;
  readonly total?: string;
  readonly reason?: string;
  readonly courier: string;
  /** The delivery window in words, or `undefined` when none is known yet. */
  readonly window?: { readonly day: string; readonly from: string; readonly to: string };
}

const v = (value: string): Part => ({ value });

const russian: Record<MailKind, (f: Facts) => ReadonlyArray<ReadonlyArray<Part>>> = {
  placed: (f) => [
    ["Спасибо! Ваш заказ ", v(f.order), " принят ", v(f.at), "."],
    ...(f.total === undefined ? [] : [["Сумма заказа: ", v(f.total), "."]]),
    ["Мы напишем, когда он будет собран."],
  ],
  assembled: (f) => [["Ваш заказ ", v(f.order), " собран ", v(f.at), " и ждёт курьера."]],
  courier_assigned: (f) => [
    ["Курьер назначен на ваш заказ ", v(f.order), "."],
    f.window === undefined
      ? ["Когда приедет ваш курьер ", v(f.courier), ", мы сообщим отдельно."]
      : [
          "Ваш курьер ",
          v(f.courier),
          " приедет ",
          v(f.window.day),
          " с ",
          v(f.window.from),
          " до ",
          v(f.window.to),
          ".",
        ],
  ],
  handed_over: (f) => [["Ваш заказ ", v(f.order), " передан курьеру ", v(f.at), "."]],
  delivered: (f) => [["Ваш заказ ", v(f.order), " доставлен ", v(f.at), ". Спасибо за покупку!"]],
  delivery_failed: (f) => [
    ["Не удалось доставить заказ ", v(f.order), ": ", v(f.reason ?? ""), "."],
    ["Мы свяжемся с вами, чтобы договориться о новой доставке."],
  ],
  cancelled: (f) => [["Ваш заказ ", v(f.order), " отменён: ", v(f.reason ?? ""), "."]],
};

const english: Record<MailKind, (f: Facts) => ReadonlyArray<ReadonlyArray<Part>>> = {
  placed: (f) => [
    ["Thank you! Your order ", v(f.order), " was placed on ", v(f.at), "."],
    ...(f.total === undefined ? [] : [["Order total: ", v(f.total), "."]]),
    ["We will write when it is assembled."],
  ],
  assembled: (f) => [
    ["Your order ", v(f.order), " was assembled on ", v(f.at), " and awaits a courier."],
  ],
  courier_assigned: (f) => [
    ["A courier is assigned to your order ", v(f.order), "."],
    f.window === undefined
      ? ["Your courier ", v(f.courier), " will come; we will tell you the time."]
      : [
          "Your courier ",
          v(f.courier),
          " will come on ",
          v(f.window.day),
          " between ",
          v(f.window.from),
          " and ",
          v(f.window.to),
          ".",
        ],
  ],
  handed_over: (f) => [["Your order ", v(f.order), " was handed to the courier on ", v(f.at), "."]],
  delivered: (f) => [
    ["Your order ", v(f.order), " was delivered on ", v(f.at), ". Thank you for shopping with us!"],
  ],
  delivery_failed: (f) => [
    ["We could not deliver your order ", v(f.order), ": ", v(f.reason ?? ""), "."],
    ["We will be in touch to arrange another delivery."],
  ],
  cancelled: (f) => [["Your order ", v(f.order), " was cancelled: ", v(f.reason ?? ""), "."]],
};

const subjects: Record<Language, Record<MailKind, string>> = {
  ru: {
    placed: "Заказ {order} принят",
    assembled: "Заказ {order} собран",
    courier_assigned: "Курьер назначен: заказ {order}",
    handed_over: "Заказ {order} в пути",
    delivered: "Заказ {order} доставлен",
    delivery_failed: "Заказ {order} не доставлен",
    cancelled: "Заказ {order} отменён",
  },
  en: {
    placed: "Order {order} placed",
    assembled: "Order {order} assembled",
    courier_assigned: "Courier assigned: order {order}",
    handed_over: "Order {order} is on its way",
    delivered: "Order {order} delivered",
    delivery_failed: "Order {order} could not be delivered",
    cancelled: "Order {order} cancelled",
  },
};

const words: Record<Language, Words> = {
  ru: {
    greeting: (name) => ["Здравствуйте, ", v(name), "!"],
    signature: "Мебель",
  },
  en: {
    greeting: (name) => ["Hello ", v(name), ","],
    signature: "Mebel",
  },
};

const asText = (parts: ReadonlyArray<Part>): string =>
  parts.map((p) => (typeof p === "string" ? p : p.value)).join("");

const asHtml = (parts: ReadonlyArray<Part>): string =>
  parts
    .map((p) => (typeof p === "string" ? escapeHtml(p) : `<b>${escapeHtml(p.value)}</b>`))
    .join("");

/**
 * "8 December", "10:00", "14:00" in the shop's zone. A window that ends on another day than it
 * starts (a dispatcher may give one) says that day with its end.
 */
const windowInWords = (
  window: DeliveryWindow,
  locale: string,
  timeZone: string,
): NonNullable<Facts["window"]> => {
  const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", timeZone });
  const time = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
  const from = new Date(window.from);
  const to = new Date(window.to);
  const sameDay = day.format(from) === day.format(to);
  return {
    day: day.format(from),
    from: time.format(from),
    to: sameDay ? time.format(to) : `${day.format(to)} ${time.format(to)}`,
  };
};

/**
 * The message in the customer's language, as plain text and HTML alike: money and instants in
 * that language's conventions, every value (names, reasons, ids) escaped before it meets HTML.
 */
export const renderMail = (
  intent: MailIntent,
  recipient: Recipient,
  style: MailStyle = defaultMailStyle,
): RenderedMail => {
  const locale = LOCALES[recipient.language];
  const instant = (iso: string): string =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: "long",
      timeStyle: "short",
      timeZone: style.timeZone,
    }).format(new Date(iso));
  const facts: Facts = {
    order: intent.orderId,
    at: instant(intent.occurredAt),
    ...(intent.total === undefined
      ? {}
      : {
          total: new Intl.NumberFormat(locale, {
            style: "currency",
            currency: style.currency,
          }).format(intent.total / 100),
        }),
    ...(intent.reason === undefined ? {} : { reason: intent.reason }),
    courier: style.courierNames?.[intent.courierId ?? ""] ?? intent.courierId ?? "",
    ...(intent.window === undefined || intent.window === null
      ? {}
      : { window: windowInWords(intent.window, locale, style.timeZone) }),
  };
  const language = words[recipient.language];
  const paragraphs = [
    language.greeting(recipient.name),
    ...(recipient.language === "ru" ? russian : english)[intent.kind](facts),
    [language.signature],
  ];
  return {
    subject: subjects[recipient.language][intent.kind].replace("{order}", intent.orderId),
    text: `${paragraphs.map(asText).join("\n\n")}\n`,
    html: `<!doctype html><html lang="${recipient.language}"><body>${paragraphs
      .map((p) => `<p>${asHtml(p)}</p>`)
      .join("")}</body></html>`,
  };
};
