import type { DomainError } from "../shared/domain-error.js";
import type { ProcessCommand } from "./process-manager.js";

/**
 * What a refusal of a process manager's command means. `done`: the aggregate has moved past what
 * the command asks (a person assigned another courier, the delivery ended meanwhile): an
 * idempotent no-op. `transient`: a lost race, worth deciding again. `contradiction`: the refusal
 * cannot be right given the event that caused the command (the order that just emitted an event
 * "does not exist"): never skipped, since skipping it would silently drop the work.
 */
export type RefusalMeaning = "done" | "transient" | "contradiction";

type CommandType = ProcessCommand["command"]["type"];

/**
 * The refusals that only say the work is done, per command. Everything else is a contradiction:
 * a refusal nobody listed here is a reason to stop and look, not to move on.
 */
const expectedRefusals: Partial<Record<CommandType, ReadonlyArray<string>>> = {
  // Someone (a dispatcher, or a pick-up by another courier) got there first, or the delivery ended.
  AssignCourier: ["DELIVERY_ALREADY_ASSIGNED", "INVALID_STATUS_TRANSITION"],
  // The delivery has moved on (completed, failed, cancelled) since the handover being redelivered.
  PickUpDelivery: ["INVALID_STATUS_TRANSITION"],
};

const transient = new Set(["CONCURRENCY_CONFLICT"]);

export const refusalMeaning = (request: ProcessCommand, error: DomainError): RefusalMeaning => {
  if (transient.has(error.code)) return "transient";
  return (expectedRefusals[request.command.type] ?? []).includes(error.code)
    ? "done"
    : "contradiction";
};
