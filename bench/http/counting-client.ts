import type { SqlClient, SqlQuery } from "@mebel/adapter-postgres";

/**
 * The client with a count of the statements it sent: each query, and each transaction's BEGIN,
 * queries and COMMIT. On this machine every statement is a send and a wake-up of another process,
 * so statements per answer say more about a route's cost than any timer.
 */
export const countingClient = (client: SqlClient): { client: SqlClient; sent: () => number } => {
  let sent = 0;
  const counted = (inner: SqlQuery): SqlQuery => ({
    query: (text, params, options) => {
      sent += 1;
      return inner.query(text, params, options);
    },
  });
  return {
    client: {
      ...client,
      ...counted(client),
      transaction: (work) => {
        sent += 2;
        return client.transaction((tx) => work(counted(tx)));
      },
    },
    sent: () => sent,
  };
};
