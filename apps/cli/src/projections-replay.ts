import { systemClock } from "@mebel/adapter-memory";
import {
  type AnyProjection,
  type EventStore,
  type Locks,
  type ReadModelStore,
  type RebuildProgress,
  readModelName,
  startProjection,
} from "@mebel/core";
import type { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { Failure } from "./failures.js";
import { interrupted, writeLine } from "./io.js";
import { defineProjectionRun, type RunOutcome } from "./projection-run.js";

export interface ReplayDeps {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly locks: Locks;
}

/**
 * Builds a read model again from the first event, in place: reset, then run to the head. Readers
 * see it empty meanwhile (`rebuild` avoids that). It holds the runner's own lock throughout, so a
 * service keeping the model up to date cannot apply events into it at the same time.
 */
export const replayInPlace = async (
  projection: AnyProjection,
  deps: ReplayDeps,
  options: {
    readonly onProgress?: (progress: RebuildProgress) => void;
    readonly interrupted?: Promise<void>;
  } = {},
): Promise<RunOutcome> => {
  const name = readModelName(projection);
  // The name core's subscriber locks under (`subscriber:<model>`): see the report to the lead.
  const release = await deps.locks.tryAcquire(`subscriber:${name}`);
  if (release === undefined) {
    throw new Failure(
      `${name} is being kept up to date by a running service; stop it first, or use ` +
        `"mebel projections rebuild ${projection.name}", which builds beside the live model`,
    );
  }
  try {
    await deps.readModels.reset(name);
    const head = await deps.store.head();
    const runner = startProjection(
      projection,
      { store: deps.store, readModels: deps.readModels, clock: systemClock },
      { maxBatch: 5_000 },
    );
    const report = (): RebuildProgress => {
      const { handled, checkpoint } = runner.status();
      return {
        handled,
        ...(checkpoint === undefined ? {} : { checkpoint }),
        ...(head === undefined ? {} : { head }),
      };
    };
    const ticker = setInterval(() => options.onProgress?.(report()), 100);
    let stopped = false;
    try {
      if (head !== undefined) {
        const reached = runner.waitUntil(head);
        const interrupted = options.interrupted?.then(() => {
          stopped = true;
        });
        await (interrupted === undefined ? reached : Promise.race([reached, interrupted]));
      }
    } finally {
      clearInterval(ticker);
      await runner.stop();
    }
    return { progress: report(), interrupted: stopped };
  } finally {
    await release();
  }
};

export const defineProjectionsReplay = (projections: Command, cli: CliContext): Command =>
  defineProjectionRun(projections, cli, {
    command: "replay",
    description:
      "rebuild a read model from the first event in place (reset, then run to the head); " +
      "readers see it empty meanwhile",
    done: "replayed",
    run: async (projection, { infra }, report, { io }) => {
      const outcome = await replayInPlace(projection, infra, {
        onProgress: report.update,
        interrupted: interrupted(io),
      });
      if (outcome.interrupted) {
        await writeLine(
          io.stderr,
          `mebel: interrupted; ${readModelName(projection)} is built up to position ` +
            `${outcome.progress.checkpoint ?? "-"}: replay again, or let its service continue from there`,
        );
      }
      return outcome;
    },
  });
