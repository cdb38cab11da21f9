import type { CliCommand } from "../types";

export const command: CliCommand = {
  words: ["spf"],
  summary: "(being built in this session)",
  usage: "postillion spf",
  run: async () => {
    throw new Error("spf: not built yet");
  },
};
