import type { CustomerId, OrderId, Sku } from "../shared/codecs.js";

/** Stream names follow the `Category-id` convention: the category is what precedes the first dash. */
export const Category = {
  StockItem: "StockItem",
  Order: "Order",
  Delivery: "Delivery",
  MailPreferences: "MailPreferences",
} as const;
export type Category = (typeof Category)[keyof typeof Category];

export const stockItemStream = (sku: Sku): string => `${Category.StockItem}-${sku}`;
export const orderStream = (orderId: OrderId): string => `${Category.Order}-${orderId}`;
export const deliveryStream = (orderId: OrderId): string => `${Category.Delivery}-${orderId}`;

export const mailPreferencesStream = (customerId: CustomerId): string =>
  `${Category.MailPreferences}-${customerId}`;

export const categoryOf = (streamName: string): string => {
  const dash = streamName.indexOf("-");
  return dash === -1 ? streamName : streamName.slice(0, dash);
};

export const idOf = (streamName: string): string => {
  const dash = streamName.indexOf("-");
  return dash === -1 ? "" : streamName.slice(dash + 1);
};
