/** Structured logging, fields first (the shape pino and most JSON loggers take). */
export interface Logger {
  readonly info: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly error: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
