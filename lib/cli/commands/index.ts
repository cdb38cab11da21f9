import type { CliCommand } from "../types";
import { command as preview } from "./preview";
import { command as spf } from "./spf";
import { command as dnsCheck } from "./dns-check";

/** Every CLI command; main.ts matches the longest command words first. */
export const commands: CliCommand[] = [preview, spf, dnsCheck];
