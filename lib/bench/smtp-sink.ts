import { SMTPServer } from "smtp-server";

/**
 * The benchmark's receiving side, in its own process (so that it never shares an event
 * loop with the sender being measured): an `smtp-server` on loopback that accepts every
 * message and discards it. Started with child_process.fork; it reports
 * `{ port }` once listening and answers `"count"` with `{ count }` (messages accepted).
 */

let accepted = 0;
const server = new SMTPServer({
  disabledCommands: ["STARTTLS", "AUTH"],
  hideSTARTTLS: true,
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  maxClients: 1000,
  onData(stream, _session, callback) {
    stream.on("end", () => {
      accepted++;
      callback(null, "2.0.0 Discarded");
    });
    stream.resume();
  },
});
server.on("error", (err) => console.error("sink:", err.message));
server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("message", (msg) => {
  if (msg === "count") process.send?.({ count: accepted });
  if (msg === "reset") {
    accepted = 0;
    process.send?.({ count: 0 });
  }
});
process.on("disconnect", () => server.close(() => process.exit(0)));
