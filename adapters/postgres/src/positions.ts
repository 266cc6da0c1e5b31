import type { Position } from "@mebel/core";
import type { SqlQuery } from "./sql-client.js";

/** Runs a query selecting one `position` (as text, so no driver rounds it) and reads it back. */
export const selectPosition = async (
  client: SqlQuery,
  text: string,
  params: ReadonlyArray<unknown>,
): Promise<Position | undefined> => {
  const [row] = await client.query<{ position: string }>(text, params);
  return row === undefined ? undefined : BigInt(row.position);
};

export const positionParam = (position: Position): string => position.toString();
