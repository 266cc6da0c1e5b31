/**
 * What the running system tells whoever watches it (metrics, traces), implemented by an adapter.
 * Core only calls; it never measures time or writes anywhere. The default does nothing, so code
 * that is not watched pays a function call per hook.
 */
export interface ObservedSpan {
  /**
   * The W3C `traceparent` of this span: given to the work it causes and stored with the events it
   * writes, so a process manager's work hangs under the request that caused it. Undefined when
   * nobody traces.
   */
  readonly traceparent: string | undefined;
  /** Ends it; `failure` names what went wrong (an error code), when something did. */
  readonly end: (failure?: string) => void;
}

export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** What a sweep found and did in one run: `repaired` is what it put right (R1/R3 made visible). */
export interface SweepRun {
  readonly repaired: number;
  readonly failed: number;
  /** The sweep itself threw (the store could not be reached, a bug). */
  readonly threw?: boolean;
}

export interface Observer {
  /** Starts a span under `parent` (a `traceparent`), or a new trace when there is none. */
  readonly span: (
    name: string,
    parent: string | undefined,
    attributes?: SpanAttributes,
  ) => ObservedSpan;
  /** A command lost the optimistic race on a stream and is decided again. */
  readonly retried: (streamName: string) => void;
  /** A subscriber's checkpoint moved past a batch with `handled` events for it. */
  readonly progressed: (subscriber: string, handled: number) => void;
  /** A subscriber stopped on what retrying cannot fix, or met a store it cannot reach. */
  readonly stumbled: (subscriber: string, state: "retrying" | "failed") => void;
  readonly swept: (sweep: string, run: SweepRun) => void;
}

const noSpan: ObservedSpan = { traceparent: undefined, end: () => {} };

/** Watches nothing: spans carry the parent's context on, so a trace passes through untouched. */
export const noObserver: Observer = {
  span: (_name, parent) =>
    parent === undefined ? noSpan : { traceparent: parent, end: noSpan.end },
  retried: () => {},
  progressed: () => {},
  stumbled: () => {},
  swept: () => {},
};
