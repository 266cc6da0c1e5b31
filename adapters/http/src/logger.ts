import { type DestinationStream, pino } from "pino";

/** JSON lines on stdout (or `destination`, for a test that reads them), one logger per service. */
export const createLogger = (service: string, level = "info", destination?: DestinationStream) =>
  pino(
    { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
export type { Logger } from "pino";
