import type { LineId } from "../shared/codecs.js";

interface Line {
  readonly lineId: LineId;
}

/** The lines with this one added, or replacing the line of the same id where it stood. */
export const withLine = <L extends Line>(lines: ReadonlyArray<L>, line: L): ReadonlyArray<L> =>
  lines.some((l) => l.lineId === line.lineId)
    ? lines.map((l) => (l.lineId === line.lineId ? line : l))
    : [...lines, line];

export const withoutLine = <L extends Line>(
  lines: ReadonlyArray<L>,
  lineId: LineId,
): ReadonlyArray<L> => lines.filter((l) => l.lineId !== lineId);
