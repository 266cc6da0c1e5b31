import { randomUUID } from "node:crypto";
import { testStaff } from "../test-process.js";
import type { Instance } from "./cluster.js";
import { sleep } from "./sleep.js";

/** One try of a command: an answer, or none (refused connection, reset, timeout). */
export type Attempt =
  | {
      readonly instance: string;
      readonly at: number;
      readonly status: number;
      readonly code?: string;
    }
  | {
      readonly instance: string;
      readonly at: number;
      readonly failure: "refused" | "no_answer";
      readonly message: string;
    };

/** What a command is about, for the checks against the log. */
export interface Subject {
  readonly orderId?: string;
  readonly lineId?: string;
  readonly sku?: string;
}

export interface CommandRecord {
  readonly id: number;
  /** e.g. "order.place", "stock.receive", "delivery.complete" */
  readonly kind: string;
  readonly method: "POST" | "DELETE";
  readonly path: string;
  readonly body: unknown;
  readonly correlationId: string;
  readonly sentAt: number;
  readonly attempts: Attempt[];
  subject: Subject;
  /** The last answer: what the command finally got. */
  final?: {
    readonly status: number;
    readonly code?: string;
    // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
    readonly body: any;
  };
}

export interface Journal {
  readonly commands: ReadonlyArray<CommandRecord>;
  /**
   * Sends a command to the first of `targets` that answers, with an Idempotency-Key (a POST) and a
   * correlation id kept across retries: no answer, a 503 or a key still in use is tried again, on
   * the next target, until an answer or the deadline.
   */
  readonly send: (
    kind: string,
    targets: ReadonlyArray<Instance>,
    method: "POST" | "DELETE",
    path: string,
    body: unknown,
    subject?: Subject,
  ) => Promise<CommandRecord>;
}

const RETRY_FOR_MS = 60_000;

const failureOf = (error: unknown): { failure: "refused" | "no_answer"; message: string } => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = `${error instanceof Error ? error.message : String(error)}${cause?.code === undefined ? "" : ` (${cause.code})`}`;
  return { failure: cause?.code === "ECONNREFUSED" ? "refused" : "no_answer", message };
};

/** `giveUpAt`: past it, nothing is tried again, so a run that goes wrong still ends in time. */
export const createJournal = (giveUpAt: number): Journal => {
  const commands: CommandRecord[] = [];
  const send: Journal["send"] = async (kind, targets, method, path, body, subject = {}) => {
    const record: CommandRecord = {
      id: commands.length,
      kind,
      method,
      path,
      body,
      correlationId: `e2e-${commands.length}-${randomUUID().slice(0, 8)}`,
      sentAt: Date.now(),
      attempts: [],
      subject,
    };
    commands.push(record);
    const key = randomUUID();
    const until = Math.min(Date.now() + RETRY_FOR_MS, giveUpAt);
    for (let turn = 0; turn === 0 || Date.now() < until; turn++) {
      const target = targets[turn % targets.length] as Instance;
      const at = Date.now();
      try {
        const res = await fetch(`${target.url}${path}`, {
          method,
          headers: {
            "content-type": "application/json",
            ...(await testStaff()),
            "x-correlation-id": record.correlationId,
            ...(method === "POST" ? { "idempotency-key": key } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        const parsed = text === "" ? undefined : JSON.parse(text);
        const code = typeof parsed?.code === "string" ? parsed.code : undefined;
        record.attempts.push({
          instance: target.name,
          at,
          status: res.status,
          ...(code === undefined ? {} : { code }),
        });
        record.final = {
          status: res.status,
          ...(code === undefined ? {} : { code }),
          body: parsed,
        };
        if (res.status === 503 || code === "IDEMPOTENCY_KEY_IN_USE") {
          await sleep(code === "IDEMPOTENCY_KEY_IN_USE" ? 1_000 : 300);
          continue;
        }
        return record;
      } catch (error) {
        record.attempts.push({ instance: target.name, at, ...failureOf(error) });
        await sleep(250);
      }
    }
    return record;
  };
  return { commands, send };
};

/** Any attempt that got no answer: the command may or may not have taken effect before. */
export const ambiguous = (record: CommandRecord): boolean =>
  record.attempts.some((a) => "failure" in a || a.status >= 500);

export const acknowledged = (record: CommandRecord): boolean =>
  record.final !== undefined && record.final.status >= 200 && record.final.status < 300;
