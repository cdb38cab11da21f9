import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Cheaper password hashes for the many users tests create (honoured under Vitest
    // only, see lib/auth/password.ts); production hashes at N=2^17.
    env: { POSTILLION_TEST_SCRYPT_LOG_N: "12" },
  },
});
