import * as t from "io-ts";
import { apiPrefix } from "../paths.js";
import {
  AccountsPage,
  AddedItem,
  AdminAccount,
  Board,
  CatalogProduct,
  CourierDeliveries,
  Couriers,
  DeliveryState,
  FailedMailList,
  Health,
  Notifications,
  OrderView,
  OrderViews,
  ProductPage,
  Queue,
  ResentMail,
  StockLevel,
  StockLevels,
  Ticket,
  WarehouseOrder,
} from "./codecs.js";
import { call } from "./http.js";

/** A delivery address as the checkout form takes it (`line`: what does not fit the fields). */
export interface AddressForm {
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
  readonly line?: string;
}

import { authed } from "./session.js";

/**
 * Every route the app calls, in one place. The site answers the shop's own routes; the other
 * services are reached through the site's `/api/<service>` with the same token.
 */
const enc = encodeURIComponent;
const customer = (id: string) => `/customers/${enc(id)}`;
const warehouse = apiPrefix("warehouse");
const delivery = apiPrefix("delivery");
const catalog = apiPrefix("catalog");

/** A single-use ticket for an event stream: `EventSource` sends no header, and a token must not be in a URL. */
const ticketed = async (path: string): Promise<string | undefined> => {
  const ticket = await authed({ method: "POST", path: "/auth/ticket", codec: Ticket });
  return ticket.ok ? `${path}?ticket=${enc(ticket.value.ticket)}` : undefined;
};

export const shop = {
  products: () => call({ path: "/products?limit=50", codec: ProductPage }),
  orders: (customerId: string) =>
    authed({ path: `${customer(customerId)}/orders`, codec: OrderViews }),
  /** With `minPosition`, as the view is once it has seen that position (read-your-writes). */
  order: (customerId: string, orderId: string, minPosition?: string) =>
    authed({
      path: `${customer(customerId)}/orders/${enc(orderId)}`,
      codec: OrderView,
      minPosition,
    }),
  notifications: (customerId: string) =>
    authed({ path: `${customer(customerId)}/notifications`, codec: Notifications }),
  createOrder: (customerId: string) =>
    authed({
      method: "POST",
      path: `${customer(customerId)}/orders`,
      codec: t.type({ orderId: t.string }),
    }),
  addItem: (customerId: string, orderId: string, sku: string, quantity: number) =>
    authed({
      method: "POST",
      path: `${customer(customerId)}/orders/${enc(orderId)}/items`,
      codec: AddedItem,
      body: { sku, quantity },
    }),
  removeItem: (customerId: string, orderId: string, lineId: string) =>
    authed({
      method: "DELETE",
      path: `${customer(customerId)}/orders/${enc(orderId)}/items/${enc(lineId)}`,
      codec: WarehouseOrder,
    }),
  place: (customerId: string, orderId: string, deliveryAddress: AddressForm) =>
    authed({
      method: "POST",
      path: `${customer(customerId)}/orders/${enc(orderId)}/place`,
      codec: WarehouseOrder,
      body: { deliveryAddress },
    }),
  cancel: (customerId: string, orderId: string, reason: string) =>
    authed({
      method: "POST",
      path: `${customer(customerId)}/orders/${enc(orderId)}/cancel`,
      codec: WarehouseOrder,
      body: { reason },
    }),
  eventsUrl: (customerId: string) => ticketed(`${customer(customerId)}/events`),
  /** Public: anyone's page may follow availability. */
  productEventsUrl: "/products/events",
};

export const admin = {
  accounts: (offset: number, limit: number) =>
    authed({ path: `/admin/accounts?offset=${offset}&limit=${limit}`, codec: AccountsPage }),
  setRoles: (accountId: string, roles: ReadonlyArray<string>) =>
    authed({
      method: "POST",
      path: `/admin/accounts/${enc(accountId)}/roles`,
      codec: AdminAccount,
      body: { roles },
    }),
  setDisabled: (accountId: string, disabled: boolean) =>
    authed({
      method: "POST",
      path: `/admin/accounts/${enc(accountId)}/${disabled ? "disable" : "enable"}`,
      codec: AdminAccount,
    }),
  failedMail: () => authed({ path: "/admin/mail/failed", codec: FailedMailList }),
  resendMail: (messageId: string, reason: string) =>
    authed({
      method: "POST",
      path: `/admin/mail/${enc(messageId)}/resend`,
      codec: ResentMail,
      body: { reason },
    }),
};

export const staff = {
  eventsUrl: () => ticketed("/staff/events"),
};

export const warehouseApi = {
  queue: () => authed({ path: `${warehouse}/queue`, codec: Queue }),
  order: (orderId: string) =>
    authed({ path: `${warehouse}/orders/${enc(orderId)}`, codec: WarehouseOrder }),
  startProcessing: (orderId: string) =>
    authed({
      method: "POST",
      path: `${warehouse}/orders/${enc(orderId)}/start-processing`,
      codec: WarehouseOrder,
    }),
  markAssembled: (orderId: string) =>
    authed({
      method: "POST",
      path: `${warehouse}/orders/${enc(orderId)}/mark-assembled`,
      codec: WarehouseOrder,
    }),
  handToCourier: (orderId: string, courierId: string) =>
    authed({
      method: "POST",
      path: `${warehouse}/orders/${enc(orderId)}/hand-to-courier`,
      codec: WarehouseOrder,
      body: { courierId },
    }),
  stock: (skus: ReadonlyArray<string>) =>
    authed({
      path: `${warehouse}/stock?${skus.map((s) => `sku=${enc(s)}`).join("&")}`,
      codec: StockLevels,
    }),
  receive: (sku: string, quantity: number) =>
    authed({
      method: "POST",
      path: `${warehouse}/stock/${enc(sku)}/receive`,
      codec: StockLevel,
      body: { quantity },
    }),
};

export const deliveryApi = {
  board: () => authed({ path: `${delivery}/deliveries`, codec: Board }),
  couriers: () => authed({ path: `${delivery}/couriers`, codec: Couriers }),
  delivery: (orderId: string) =>
    authed({ path: `${delivery}/deliveries/${enc(orderId)}`, codec: DeliveryState }),
  assign: (orderId: string, courierId: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/assign`,
      codec: DeliveryState,
      body: { courierId },
    }),
  reassign: (orderId: string, courierId: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/reassign`,
      codec: DeliveryState,
      body: { courierId },
    }),
  rerequest: (orderId: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/rerequest`,
      codec: DeliveryState,
    }),
  /** What one courier carries now: a courier reads only their own. */
  mine: (courierId: string) =>
    authed({
      path: `${delivery}/couriers/${enc(courierId)}/deliveries`,
      codec: CourierDeliveries,
    }),
  pickUp: (orderId: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/pick-up`,
      codec: DeliveryState,
    }),
  complete: (orderId: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/complete`,
      codec: DeliveryState,
    }),
  fail: (orderId: string, reason: string) =>
    authed({
      method: "POST",
      path: `${delivery}/deliveries/${enc(orderId)}/fail`,
      codec: DeliveryState,
      body: { reason },
    }),
};

export const catalogApi = {
  products: () => call({ path: `${catalog}/products`, codec: t.readonlyArray(CatalogProduct) }),
  create: (sku: string, name: string, price: number) =>
    authed({
      method: "POST",
      path: `${catalog}/products`,
      codec: CatalogProduct,
      body: { sku, name, price },
    }),
  changePrice: (sku: string, price: number) =>
    authed({
      method: "POST",
      path: `${catalog}/products/${enc(sku)}/price`,
      codec: CatalogProduct,
      body: { price },
    }),
};

export const SERVICE_HEALTH = [
  { service: "site", path: "/health" },
  { service: "catalog", path: `${catalog}/health` },
  { service: "warehouse", path: `${warehouse}/health` },
  { service: "delivery", path: `${delivery}/health` },
] as const;

/** `/health` answers 503 with the same body when a subscriber failed: both are shown. */
export const health = async (path: string) => {
  const answer = await fetch(path, { headers: { accept: "application/json" } }).catch(
    () => undefined,
  );
  if (answer === undefined) return undefined;
  const decoded = Health.decode(await answer.json().catch(() => null));
  return decoded._tag === "Right" ? decoded.right : undefined;
};
