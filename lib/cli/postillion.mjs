#!/usr/bin/env node
// The `postillion` command. Node 20 cannot strip TypeScript types, so the CLI
// registers tsx's loader and then runs the TypeScript entry point.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

register({ tsconfig: path.join(path.dirname(fileURLToPath(import.meta.url)), "../../tsconfig.json") });
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
