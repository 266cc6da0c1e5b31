import type { Position } from "../events/recorded-event.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { AnyProjection } from "../projections/projection.js";
import { startProjection } from "./projection-runner.js";
import { readModelName } from "./read-views.js";
import type { SubscriberDeps } from "./subscriber.js";

export interface RebuildProgress {
  /** Events applied so far. */
  readonly handled: number;
  readonly checkpoint?: Position;
  /** The head the rebuild is heading for. */
  readonly head?: Position;
}

/**
 * Builds a projection's read model again from the first event, beside the live one, and swaps it
 * in once it has reached the head: readers keep the old model until the new one is complete, so
 * the site never goes dark. A runner of the live model, in this process or another, notices the
 * swap at its next commit and resumes from the rebuilt checkpoint.
 */
export const rebuildProjection = async (
  projection: AnyProjection,
  deps: SubscriberDeps & { readonly readModels: ReadModelStore },
  options: {
    readonly onProgress?: (progress: RebuildProgress) => void;
    readonly everyMs?: number;
  } = {},
): Promise<RebuildProgress> => {
  const live = readModelName(projection);
  const beside = `${live}.rebuild`;
  await deps.readModels.reset(beside);
  const head = await deps.store.head();
  const { locks: _noLock, ...unlocked } = deps;
  let report = (): RebuildProgress => ({ handled: 0 });
  const runner = startProjection(projection, unlocked, {
    modelName: beside,
    parkedOf: live,
    maxBatch: 5_000,
    onCommit: () => options.onProgress?.(report()),
  });
  report = (): RebuildProgress => {
    const { handled, checkpoint } = runner.status();
    return {
      handled,
      ...(checkpoint === undefined ? {} : { checkpoint }),
      ...(head === undefined ? {} : { head }),
    };
  };
  try {
    if (head !== undefined) await runner.waitUntil(head);
  } finally {
    await runner.stop();
  }
  await deps.readModels.swap(live, beside);
  const done = report();
  options.onProgress?.(done);
  return done;
};
