import { randomUUID } from "node:crypto";
import {
  type EventStore,
  type EventToAppend,
  isoInstant,
  type Position,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe } from "vitest";

/** What a contract suite needs from an adapter: the thing under test and a way to let it go. */
export type Setup<T> = () => Promise<T & { readonly close: () => Promise<void> }>;

/**
 * Opens the adapter once for a suite and closes it after. Tests share it, so each one works on
 * names of its own and never assumes an empty store.
 */
export const useFixture = <T>(setup: Setup<T>): (() => T) => {
  let fixture: (T & { readonly close: () => Promise<void> }) | undefined;
  beforeAll(async () => {
    fixture = await setup();
  });
  afterAll(async () => {
    await fixture?.close();
  });
  return () => {
    if (fixture === undefined) throw new Error("The contract fixture is not set up yet.");
    return fixture;
  };
};

/** A describe block whose cases reach the adapter through `fixture`, opened once for them all. */
export const describeContract = <T>(
  title: string,
  setup: Setup<T>,
  cases: (fixture: () => T) => void,
): void => {
  describe(title, () => cases(useFixture(setup)));
};

/** A category no other test uses: letters and digits only, so it holds no dash. */
export const uniqueCategory = (prefix = "Contract"): string =>
  `${prefix}${randomUUID().replaceAll("-", "")}`;

export const uniqueStream = (category = uniqueCategory()): string => `${category}-${randomUUID()}`;

export const uniqueName = (prefix: string): string => `${prefix}:${randomUUID()}`;

export const newEvent = (data: unknown = {}, type = "ContractTested"): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: isoInstant(new Date()),
  },
});

export const newEvents = (count: number, type?: string): EventToAppend[] =>
  Array.from({ length: count }, (_, i) => newEvent({ i }, type));

export const rightOf = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`Expected Right, got Left ${JSON.stringify(result.left)}`);
  return result.right;
};

export const leftOf = <L>(result: E.Either<L, unknown>): L => {
  if (E.isRight(result)) throw new Error("Expected Left, got Right.");
  return result.left;
};

export const idsOf = (events: ReadonlyArray<{ readonly eventId: string }>): string[] =>
  events.map((e) => e.eventId);

/** As numbers, for readable expectations; every revision a contract case makes is small. */
export const revisionsOf = (events: ReadonlyArray<StoredEvent>): number[] =>
  events.map((e) => Number(e.revision));

export const isStrictlyIncreasing = (positions: ReadonlyArray<Position>): boolean =>
  positions.every((p, i) => i === 0 || (positions[i - 1] as Position) < p);

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `what` when it does not within the time allowed. */
export const waitUntil = async (
  what: string,
  condition: () => boolean,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await sleep(5);
  }
};

/** A subscription that records what it is handed, for tests to look at. */
export const collect = (
  store: EventStore,
  options: SubscribeOptions,
  onBatch: (batch: SubscriptionBatch) => Promise<void> = async () => {},
): {
  readonly events: StoredEvent[];
  readonly batches: SubscriptionBatch[];
  readonly subscription: Subscription;
} => {
  const events: StoredEvent[] = [];
  const batches: SubscriptionBatch[] = [];
  const subscription = store.subscribe(options, async (batch) => {
    batches.push(batch);
    events.push(...batch.events);
    await onBatch(batch);
  });
  return { events, batches, subscription };
};

/** Every event after `after` (in the given categories), page by page, as a subscriber would. */
export const readAllAfter = async (
  store: EventStore,
  after: Position | undefined,
  categories?: ReadonlyArray<string>,
): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({
      ...(from === undefined ? {} : { after: from }),
      ...(categories === undefined ? {} : { categories }),
      maxCount: 100,
    });
    events.push(...page.events);
    if (page.isEnd || page.position === undefined) return events;
    from = page.position;
  }
};

/** The store's head as a read option: reads "after" it see only what a test writes next. */
export const afterHead = async (store: EventStore): Promise<{ after?: Position }> => {
  const head = await store.head();
  return head === undefined ? {} : { after: head };
};
