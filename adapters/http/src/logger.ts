import { pino } from "pino";

/** JSON lines on stdout, one logger per service. */
export const createLogger = (service: string, level = "info") =>
  pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
export type { Logger } from "pino";
