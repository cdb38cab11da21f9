import type { CliCommand } from "../types";
import * as apikey from "./apikey";
import { command as dnsCheck } from "./dns-check";
import { command as migrate } from "./migrate";
import { command as planCreate } from "./plan-create";
import { command as preview } from "./preview";
import { command as seed } from "./seed";
import { command as serve } from "./serve";
import { command as senderSet } from "./sender-set";
import { command as spf } from "./spf";
import { command as tenantCreate } from "./tenant-create";
import { command as trainingCreate } from "./training-create";
import { command as userCreate } from "./user-create";
import { command as worker } from "./worker";

/** Every CLI command; main.ts matches the longest command words first. */
export const commands: CliCommand[] = [
  migrate,
  seed,
  tenantCreate,
  userCreate,
  senderSet,
  trainingCreate,
  planCreate,
  apikey.create,
  apikey.list,
  apikey.revoke,
  spf,
  dnsCheck,
  preview,
  worker,
  serve,
];
