import { decodePart, type Problem, parseIfMatch, problem } from "@mebel/adapter-http";
import { CourierId, OrderId, Text } from "@mebel/core";
import type { Request } from "express";
import { sequenceS } from "fp-ts/lib/Apply.js";
import * as E from "fp-ts/lib/Either.js";
import type { Semigroup } from "fp-ts/lib/Semigroup.js";
import * as t from "io-ts";

export const DeliveryPath = t.type({ orderId: OrderId });
export const AssignBody = t.type({ courierId: CourierId });
export const FailBody = t.type({ reason: Text });

/** Two invalid parts of one request make one 400 that names the failing fields of both. */
const bothInvalid: Semigroup<Problem> = {
  concat: (a, b) =>
    problem(400, "INVALID_REQUEST", "The request is not valid.", {
      detail: [a.detail ?? a.title, b.detail ?? b.title].join("; "),
      errors: [...(a.errors ?? []), ...(b.errors ?? [])],
    }),
};

/** Decodes every part given, reporting all that fail rather than stopping at the first. */
export const decodeAll = sequenceS(E.getApplicativeValidation(bothInvalid));

export const deliveryPath = (req: Request) => decodePart(DeliveryPath, "path")(req.params);

export const ifMatch = (req: Request) => parseIfMatch(req.get("if-match"));
