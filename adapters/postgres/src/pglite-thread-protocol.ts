/** What the main thread asks of the thread that runs PGlite (see pglite-thread.ts). */
export type ThreadRequest =
  | {
      readonly id: number;
      readonly kind: "query";
      readonly text: string;
      readonly params: ReadonlyArray<unknown>;
      readonly prepare: boolean;
      /** The open transaction this query belongs to, if any. */
      readonly tx?: number;
    }
  | { readonly id: number; readonly kind: "begin" }
  | { readonly id: number; readonly kind: "end"; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly kind: "listen"; readonly channel: string }
  | { readonly id: number; readonly kind: "unlisten"; readonly channel: string }
  | { readonly id: number; readonly kind: "close" };

/** An error as it crosses threads: its message, name and own fields (a PostgreSQL `code`, say). */
export interface ThreadError {
  readonly message: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type ThreadReply =
  | { readonly kind: "done"; readonly id: number; readonly value: unknown }
  | { readonly kind: "failed"; readonly id: number; readonly error: ThreadError }
  | { readonly kind: "notify"; readonly channel: string };

export const toThreadError = (error: unknown): ThreadError => {
  if (!(error instanceof Error)) return { message: String(error), name: "Error", fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      fields[key] = value;
    }
  }
  return { message: error.message, name: error.name, fields };
};

export const fromThreadError = ({ message, name, fields }: ThreadError): Error =>
  Object.assign(new Error(message), fields, { name });
