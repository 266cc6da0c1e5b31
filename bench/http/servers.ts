import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ServerConfig, ServerMessage, ServerStats } from "./server-config.js";

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));

export interface RunningServer {
  readonly url: string;
  /** Its process, for tools that watch one from outside (perf, /proc). */
  readonly pid: number | undefined;
  readonly stop: () => Promise<void>;
  /** The server's own memory and event-loop delay (since the last call), asked over IPC. */
  readonly stats: () => Promise<ServerStats>;
}

const askStats = (child: ChildProcess): Promise<ServerStats> =>
  new Promise((resolve) => {
    const listen = (message: unknown) => {
      if (typeof message === "object" && message !== null && "stats" in message) {
        child.off("message", listen);
        resolve((message as { stats: ServerStats }).stats);
      }
    };
    child.on("message", listen);
    child.send("stats");
  });

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    // A server that cannot close in time is killed: the run must end.
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    if (child.connected) child.send("stop");
    else child.kill("SIGTERM");
  });

/**
 * Server processes, each forked with this process's loader flags; `stopAll` ends whichever are
 * still running, so a failing bench leaves none behind.
 */
export const serverProcesses = () => {
  const running = new Set<ChildProcess>();
  const start = (config: ServerConfig): Promise<RunningServer> => {
    const child = fork(SERVER, [JSON.stringify(config)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    running.add(child);
    child.once("exit", () => running.delete(child));
    return new Promise((resolve, reject) => {
      child.once("message", (message: ServerMessage) => {
        if ("url" in message) {
          resolve({
            url: message.url,
            pid: child.pid,
            stop: () => stopChild(child),
            stats: () => askStats(child),
          });
        } else reject(new Error(`Server failed to start: ${message.error}`));
      });
      child.once("exit", (code) =>
        reject(new Error(`Server exited with ${code} before it listened.`)),
      );
    });
  };
  return {
    start,
    stopAll: async () => {
      await Promise.all([...running].map(stopChild));
    },
  };
};
