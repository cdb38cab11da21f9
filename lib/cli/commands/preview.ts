import type { CliCommand } from "../types";

export const command: CliCommand = {
  words: ["preview"],
  summary: "(being built in this session)",
  usage: "postillion preview",
  run: async () => {
    throw new Error("preview: not built yet");
  },
};
