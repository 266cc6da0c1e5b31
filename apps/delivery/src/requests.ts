import { decodePart, parseIfMatch } from "@mebel/adapter-http";
import { CourierId, OrderId, Text } from "@mebel/core";
import type { Request } from "express";
import * as t from "io-ts";

export const DeliveryPath = t.type({ orderId: OrderId });
export const CourierPath = t.type({ courierId: CourierId });
export const AssignBody = t.type({ courierId: CourierId });
/** A courier's pick-up needs none; staff name the courier who took the goods. */
export const PickUpBody = t.union([t.undefined, t.partial({ courierId: CourierId })]);
/** Why: a delivery failed, or is cancelled. */
export const ReasonBody = t.type({ reason: Text });

export const deliveryPath = (req: Request) => decodePart(DeliveryPath, "path")(req.params);
export const courierPath = (req: Request) => decodePart(CourierPath, "path")(req.params);

export const ifMatch = (req: Request) => parseIfMatch(req.get("if-match"));
