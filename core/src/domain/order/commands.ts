import * as t from "io-ts";
import {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../../shared/codecs.js";
import { DeliveryAddress } from "./delivery-address.js";

export const CreateOrder = t.type({
  type: t.literal("CreateOrder"),
  orderId: OrderId,
  customerId: CustomerId,
});
export const AddItem = t.type({
  type: t.literal("AddItem"),
  orderId: OrderId,
  lineId: LineId,
  sku: Sku,
  quantity: Quantity,
  unitPrice: MinorUnits,
});
export const RemoveItem = t.type({
  type: t.literal("RemoveItem"),
  orderId: OrderId,
  lineId: LineId,
});
export const AbandonLine = t.type({
  type: t.literal("AbandonLine"),
  orderId: OrderId,
  lineId: LineId,
});
export const PlaceOrder = t.type({
  type: t.literal("PlaceOrder"),
  orderId: OrderId,
  deliveryAddress: DeliveryAddress,
});
export const StartProcessing = t.type({ type: t.literal("StartProcessing"), orderId: OrderId });
export const MarkAssembled = t.type({ type: t.literal("MarkAssembled"), orderId: OrderId });
export const HandToCourier = t.type({
  type: t.literal("HandToCourier"),
  orderId: OrderId,
  courierId: CourierId,
});
export const CancelOrder = t.type({
  type: t.literal("CancelOrder"),
  orderId: OrderId,
  reason: Text,
});

export const OrderCommand = t.union([
  CreateOrder,
  AddItem,
  RemoveItem,
  AbandonLine,
  PlaceOrder,
  StartProcessing,
  MarkAssembled,
  HandToCourier,
  CancelOrder,
]);
export type OrderCommand = t.TypeOf<typeof OrderCommand>;
