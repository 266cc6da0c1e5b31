/** What a result is held to: a share of its baseline, a floor, or an exact count. */
export type Target =
  | { readonly kind: "ratio"; readonly atLeast: number }
  | { readonly kind: "above"; readonly value: number }
  | { readonly kind: "exactly"; readonly value: number };

export interface Result {
  readonly bench: string;
  readonly name: string;
  /** postgres, pglite, memory, or what else the subject ran on. */
  readonly store: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  /** What the baseline is, in a few words. */
  readonly baselineName?: string;
  readonly target?: Target;
  /** Anything else worth keeping: counts, latencies, memory. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export const ratioOf = (result: Result): number | undefined =>
  result.baseline === undefined || result.baseline === 0
    ? undefined
    : result.value / result.baseline;

export const passes = (result: Result): boolean | undefined => {
  const target = result.target;
  if (target === undefined) return undefined;
  switch (target.kind) {
    case "ratio": {
      const ratio = ratioOf(result);
      return ratio === undefined ? false : ratio >= target.atLeast;
    }
    case "above":
      return result.value > target.value;
    case "exactly":
      return result.value === target.value;
  }
};

const number = (value: number): string =>
  value >= 100 || Number.isInteger(value)
    ? Math.round(value).toLocaleString("en-US")
    : value.toPrecision(3);

/** One decimal below 1000%, so 24.8% does not show as a passing 25%. */
const percent = (ratio: number): string => `${(ratio * 100).toFixed(ratio < 10 ? 1 : 0)}%`;

const describeTarget = (target: Target | undefined): string => {
  if (target === undefined) return "";
  switch (target.kind) {
    case "ratio":
      return `≥ ${Math.round(target.atLeast * 100)}%`;
    case "above":
      return `> ${number(target.value)}`;
    case "exactly":
      return `= ${number(target.value)}`;
  }
};

const verdict = (result: Result): string => {
  const pass = passes(result);
  return pass === undefined ? "" : pass ? "pass" : "FAIL";
};

/** A Markdown table, so a run's figures paste straight into docs/benchmarks.md. */
export const table = (results: ReadonlyArray<Result>): string => {
  const header = ["bench", "name", "store", "value", "baseline", "ratio", "target", "result"];
  const rows = results.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.bench,
      r.name,
      r.store,
      `${number(r.value)} ${r.unit}`,
      r.baseline === undefined ? "" : `${number(r.baseline)} (${r.baselineName ?? "raw"})`,
      ratio === undefined ? "" : percent(ratio),
      describeTarget(r.target),
      verdict(r),
    ];
  });
  return [header, header.map(() => "---"), ...rows]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
};

/** One line of JSON per result, with the ratio and verdict worked out, for tools that compare runs. */
export const jsonLine = (result: Result): string =>
  JSON.stringify({ ...result, ratio: ratioOf(result) ?? null, pass: passes(result) ?? null });
