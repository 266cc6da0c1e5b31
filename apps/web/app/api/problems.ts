import * as t from "io-ts";

/** RFC 9457 problem details, as every service answers a refusal. */
export const Problem = t.intersection([
  t.type({ status: t.number, code: t.string, title: t.string }),
  t.partial({
    detail: t.string,
    details: t.record(t.string, t.unknown),
    errors: t.readonlyArray(t.type({ path: t.string, expected: t.string })),
  }),
]);
export type Problem = t.TypeOf<typeof Problem>;

const count = (n: unknown): string => (typeof n === "number" ? String(n) : "no");

/** What to tell a person, in words, for each code the services refuse with. */
export const describeProblem = (p: Problem): string => {
  switch (p.code) {
    case "INSUFFICIENT_STOCK": {
      const available = p.details?.available;
      return available === 0 ? "Sorry, this is sold out." : `Sorry, only ${count(available)} left.`;
    }
    case "PRODUCT_NOT_FOUND":
      return "This product is no longer sold.";
    case "ORDER_NOT_FOUND":
      return "There is no such order.";
    case "ORDER_NOT_DRAFT":
      return "This order has been placed already: it can no longer be changed.";
    case "EMPTY_ORDER":
      return "The cart is empty.";
    case "INVALID_CREDENTIALS":
      return "The email or the password is wrong.";
    case "EMAIL_TAKEN":
      return "An account with this email exists already: sign in instead.";
    case "TOO_MANY_ATTEMPTS":
      return "Too many attempts: wait a minute and try again.";
    case "UNAUTHENTICATED":
    case "INVALID_REFRESH_TOKEN":
      return "Your session has ended: sign in again.";
    case "FORBIDDEN":
      return "You may not do this.";
    case "COURIER_AT_CAPACITY":
      return "This courier carries as many deliveries as they can.";
    case "DELIVERY_ALREADY_ASSIGNED":
      return "Another courier has this delivery already.";
    case "DELIVERY_ALREADY_PICKED_UP":
      return "The courier has picked this delivery up already: it can no longer go to another.";
    case "DELIVERY_NOT_FOUND":
      return "There is no such delivery, or it is no longer yours.";
    case "DELIVERY_NOT_ASSIGNED":
      return "This delivery has no courier yet.";
    case "ORDER_NOT_DELIVERABLE":
      return "This order is not to be delivered (it was cancelled, or is not ready).";
    case "COURIER_REQUIRED":
      return "Say which courier took the goods.";
    case "COURIER_NOT_FOUND":
      return "There is no such courier.";
    case "PRODUCT_ALREADY_EXISTS":
      return "A product with this SKU exists already.";
    case "SELF_LOCKOUT":
      return "You cannot take your own admin role away or disable yourself: ask another admin.";
    case "COURIER_ID_REQUIRED":
      return "A courier account needs its courier: add it with the command line (mebel users).";
    case "ACCOUNT_NOT_FOUND":
      return "There is no such account.";
    case "MAIL_NOT_FAILED":
      return "This message is on its way again already.";
    case "MAIL_RECIPIENT_CLOSED":
      return "The customer's account is closed: nothing is sent to it.";
    case "INVALID_STATUS_TRANSITION":
      return "That cannot be done at this step.";
    case "PRECONDITION_FAILED":
    case "CONCURRENCY_CONFLICT":
      return "Someone changed this meanwhile: look again and retry.";
    case "INVALID_REQUEST":
      return `Please check: ${(p.errors ?? []).map((e) => e.path.replace(/^body\./, "")).join(", ") || "the form"}.`;
    case "UPSTREAM_UNAVAILABLE":
    case "NETWORK":
      return "The shop cannot be reached just now: try again in a moment.";
    default:
      return p.detail ?? p.title;
  }
};

export const networkProblem = (): Problem => ({
  status: 0,
  code: "NETWORK",
  title: "The shop cannot be reached.",
});
export const badAnswer = (what: string): Problem => ({
  status: 0,
  code: "BAD_ANSWER",
  title: `The shop answered ${what} in a way this page does not understand.`,
});
