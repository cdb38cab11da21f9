import type { CliCommand } from "../types";

export const command: CliCommand = {
  words: ["dns-check"],
  summary: "(being built in this session)",
  usage: "postillion dns-check",
  run: async () => {
    throw new Error("dns-check: not built yet");
  },
};
