import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { escapeHtml } from "@mebel/core";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

/** One message as the sink received it; `copies` > 1 when the same Message-ID came again. */
export interface ReceivedMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: ReadonlyArray<string>;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly receivedAt: string;
  copies: number;
}

/** How the sink answers a recipient: accept, or an SMTP reply code and text. */
export type SinkVerdict = "accept" | { readonly code: number; readonly message: string };

export interface MailSink {
  readonly smtpUrl: string;
  /** Every distinct message, in the order they first arrived. */
  readonly messages: () => ReadonlyArray<ReceivedMail>;
  /** Every delivery, copies included, by Message-ID. */
  readonly deliveries: () => ReadonlyArray<string>;
  /** Decides what to answer each recipient from now on (tests refuse for a while). */
  readonly answer: (verdict: (recipient: string) => SinkVerdict) => void;
  readonly close: () => Promise<void>;
}

/**
 * A development mail sink: an SMTP server that keeps what it receives in memory. A copy of a
 * message already received (same Message-ID) is counted, not shown twice, as a mail client would.
 */
export const startMailSink = async (
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<MailSink> => {
  const host = options.host ?? "127.0.0.1";
  const byId = new Map<string, ReceivedMail>();
  const deliveries: string[] = [];
  let verdict: (recipient: string) => SinkVerdict = () => "accept";
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo: (address: SMTPServerAddress, _session, callback) => {
      const answer = verdict(address.address);
      if (answer === "accept") return callback();
      const error = new Error(answer.message) as Error & { responseCode: number };
      error.responseCode = answer.code;
      return callback(error);
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (parsed) => {
          const messageId = parsed.messageId ?? `(none ${deliveries.length})`;
          deliveries.push(messageId);
          const known = byId.get(messageId);
          if (known !== undefined) known.copies += 1;
          else {
            const to = parsed.to === undefined ? [] : [parsed.to].flat();
            byId.set(messageId, {
              messageId,
              from: parsed.from?.text ?? "",
              to: to.flatMap((a) => a.value.map((v) => v.address ?? "")),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              receivedAt: new Date().toISOString(),
              copies: 1,
            });
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://${host}:${port}`,
    messages: () => [...byId.values()],
    deliveries: () => [...deliveries],
    answer: (next) => {
      verdict = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The sink's messages as one page a person reads in a browser, newest first, every value escaped. */
export const mailSinkPage = (messages: ReadonlyArray<ReceivedMail>): string => {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<article><h2>${escapeHtml(m.subject)}</h2>
<p><b>To</b> ${escapeHtml(m.to.join(", "))} · <b>From</b> ${escapeHtml(m.from)} · ${escapeHtml(m.receivedAt)}${
        m.copies > 1 ? ` · <b>${m.copies - 1} duplicate(s) suppressed</b>` : ""
      }</p>
<p><small>${escapeHtml(m.messageId)}</small></p><pre>${escapeHtml(m.text)}</pre></article>`,
    )
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mebel: development mail</title></head>
<body><h1>Mail sent by this demo (${messages.length})</h1>${rows || "<p>Nothing sent yet.</p>"}</body></html>`;
};

/** Serves the sink's page over HTTP, read-only: for the embedded demo, on the local host. */
export const serveMailSink = async (
  sink: MailSink,
  options: { readonly host: string; readonly port: number },
): Promise<{ readonly url: string; readonly close: () => Promise<void> }> => {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'",
    });
    res.end(mailSinkPage(sink.messages()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
