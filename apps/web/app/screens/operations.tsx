import { useEffect, useState } from "preact/hooks";
import type { Health } from "../api/codecs.js";
import { health, SERVICE_HEALTH } from "../api/endpoints.js";
import { Page } from "../ui/bits.js";
import { STAFF_REFRESH_MS } from "./warehouse.js";

type Reading = { readonly service: string; readonly health: Health | undefined };

export const OperationsScreen = () => {
  const [readings, setReadings] = useState<ReadonlyArray<Reading> | undefined>();
  const [at, setAt] = useState<Date | undefined>();
  useEffect(() => {
    const read = async () => {
      const all = await Promise.all(
        SERVICE_HEALTH.map(async (s) => ({ service: s.service, health: await health(s.path) })),
      );
      setReadings(all);
      setAt(new Date());
    };
    void read();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void read();
    }, STAFF_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <Page title="Operations">
      <p aria-live="off">
        Every service's projections and process managers, read from their <code>/health</code>
        {at === undefined ? null : <>; last read {at.toLocaleTimeString()}</>}.
      </p>
      {readings === undefined ? <p aria-busy="true">Loading…</p> : null}
      {(readings ?? []).map((r) => (
        <section key={r.service} aria-labelledby={`svc-${r.service}`} class="card">
          <h2 id={`svc-${r.service}`}>
            {r.service}{" "}
            <span class={r.health?.status === "ok" ? "badge ok" : "badge bad"}>
              {r.health === undefined ? "unreachable" : r.health.status}
            </span>
          </h2>
          {r.health === undefined || r.health.subscribers.length === 0 ? (
            <p>No subscribers.</p>
          ) : (
            <table>
              <caption class="visually-hidden">Subscribers of {r.service}</caption>
              <thead>
                <tr>
                  <th scope="col">Subscriber</th>
                  <th scope="col">State</th>
                  <th scope="col">Checkpoint</th>
                  <th scope="col">Head</th>
                  <th scope="col">Lag</th>
                </tr>
              </thead>
              <tbody>
                {r.health.subscribers.map((s) => (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>
                      {s.state}
                      {s.error === undefined ? null : <> ({s.error})</>}
                    </td>
                    <td>{s.checkpoint ?? "none"}</td>
                    <td>{s.head ?? "none"}</td>
                    <td>{s.lag ?? "standing by"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(r.health?.sweeps ?? []).length === 0 ? null : (
            <table>
              <caption class="visually-hidden">Reconciliation sweeps of {r.service}</caption>
              <thead>
                <tr>
                  <th scope="col">Sweep</th>
                  <th scope="col">State</th>
                  <th scope="col">Settled</th>
                </tr>
              </thead>
              <tbody>
                {(r.health?.sweeps ?? []).map((s) => (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>
                      {s.state}
                      {s.error === undefined ? null : <> ({s.error})</>}
                    </td>
                    <td>{s.settled}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </Page>
  );
};
