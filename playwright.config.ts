import { defineConfig, devices } from "@playwright/test";
import path from "node:path";

// The suite runs against a production build (`next build` first, then `next start`)
// in Debian's Chromium; nothing downloads a browser.
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = path.resolve(process.env.E2E_DATA_DIR ?? "test-results/e2e-data");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Loopback stand-ins the specs start themselves: the platform relay (an smtp-server
// sink) and a DNS server with test zones, on fixed ports the app is configured with.
export const E2E_RELAY_PORT = Number(process.env.E2E_RELAY_PORT ?? 2526);
export const E2E_DNS_PORT = Number(process.env.E2E_DNS_PORT ?? 5354);
export const E2E_GATEWAY_IP = "192.0.2.10";
/** The demo mailbox's directory: /demo/mailbox is on for the suite (e2e/demo-mailbox.spec.ts fills it through a catcher). */
export const E2E_DEMO_MAILBOX = path.join(E2E_DATA_DIR, "demo-mailbox");
/** The server's output, for specs that check what it logged (e.g. no secrets). */
export const E2E_SERVER_LOG = path.join(E2E_DATA_DIR, "server.log");
// Cheaper password hashes for the users the suite creates and signs in (lib/auth/password.ts);
// set here so the fixtures (workers inherit it) and the server hash alike.
process.env.POSTILLION_TEST_SCRYPT_LOG_N ??= "12";

// Time limits sized for a busy 2-core machine (CI shares it with other work): a test
// signs in several users (scrypt, ~0.3 s each at N=2^17 when idle, seconds when the
// cores are contended) and waits for server renders. Specs wait on conditions
// (auto-waiting locators, expect polling), never on fixed sleeps; these limits only
// bound how long a condition may take before the test fails.
const SECOND = 1_000;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 180 * SECOND,
  expect: { timeout: 20 * SECOND },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: "de-DE",
    trace: "retain-on-failure",
    actionTimeout: 30 * SECOND,
    navigationTimeout: 45 * SECOND,
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && node lib/cli/postillion.mjs migrate && node lib/cli/postillion.mjs seed --demo && npx next start -p ${PORT} >> ${E2E_SERVER_LOG} 2>&1`,
    url: `http://localhost:${PORT}/login`,
    reuseExistingServer: false,
    // Migrations, the demo seed (hashes several passwords) and next start.
    timeout: 300 * SECOND,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATA_DIR: E2E_DATA_DIR,
      DATABASE_URL: `file:${path.join(E2E_DATA_DIR, "postillion.db")}`,
      NEXTAUTH_URL: `http://localhost:${PORT}`,
      NEXT_TELEMETRY_DISABLED: "1",
      E2E_DATA_DIR,
      POSTILLION_TEST_SCRYPT_LOG_N: process.env.POSTILLION_TEST_SCRYPT_LOG_N,
      SMTP_RELAY_URL: `smtp://127.0.0.1:${E2E_RELAY_PORT}`,
      SMTP_ALLOW_PRIVATE_HOSTS: "true",
      DNS_SERVERS: `127.0.0.1:${E2E_DNS_PORT}`,
      PLATFORM_GATEWAY_IPS: E2E_GATEWAY_IP,
      POSTILLION_DEMO_MAILBOX: E2E_DEMO_MAILBOX,
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    },
  },
});
