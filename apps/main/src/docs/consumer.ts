import type { Category, DomainRecordedEvent } from "@mebel/core";

export interface Consumer {
  readonly kind: "projection" | "process manager";
  readonly name: string;
  readonly services: ReadonlyArray<string>;
  /** Categories it reads from the store as it decides, without subscribing to them. */
  readonly reads?: ReadonlyArray<Category>;
  /** A fresh run of it: whether it does something with each event (a document changes, a command or its state follows). */
  readonly start: () => (recorded: DomainRecordedEvent) => boolean;
}

/** JSON for comparing what a consumer keeps, without the bookkeeping every event moves. */
export const meaningful = (value: unknown): string =>
  JSON.stringify(value, (key, v) =>
    key === "revisions" || key === "updatedAt" ? undefined : typeof v === "bigint" ? String(v) : v,
  ) ?? "";
