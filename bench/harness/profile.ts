/**
 * How long and how big: the full run fits in a few minutes on two cores, `--quick` in well under
 * one. Every measurement is time-boxed, so a slow machine gets fewer operations, not a longer run.
 */
export interface Profile {
  readonly quick: boolean;
  /** Discarded run of each side before any round is counted (JIT, plan caches, buffers). */
  readonly warmupMs: number;
  /** One counted round of one side. */
  readonly roundMs: number;
  /** Rounds per side; the median is reported. */
  readonly rounds: number;
  /** Streams and events per stream seeded before appends and short loads. */
  readonly seedStreams: number;
  readonly seedRevisions: number;
  /** Events of the long StockItem stream. */
  readonly longStream: number;
  /** Events in the log a projection replays. */
  readonly replayEvents: number;
  /** Seconds per autocannon round, and of the discarded round before them. */
  readonly httpSeconds: number;
  readonly httpWarmupSeconds: number;
  readonly httpRounds: number;
  /** Orders that add-item spreads over, and the hot SKU's stock. */
  readonly orders: number;
  readonly hotStock: number;
}

export const fullProfile: Profile = {
  quick: false,
  warmupMs: 500,
  roundMs: 1_000,
  rounds: 3,
  seedStreams: 200,
  seedRevisions: 20,
  longStream: 100_000,
  replayEvents: 100_000,
  httpSeconds: 2,
  httpWarmupSeconds: 1,
  httpRounds: 2,
  orders: 500,
  hotStock: 2_400,
};

export const quickProfile: Profile = {
  quick: true,
  warmupMs: 150,
  roundMs: 300,
  rounds: 1,
  seedStreams: 40,
  seedRevisions: 20,
  longStream: 10_000,
  replayEvents: 10_000,
  httpSeconds: 1,
  httpWarmupSeconds: 0.5,
  httpRounds: 1,
  orders: 100,
  hotStock: 200,
};
