import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

// Features and everything above them, which the shared lower layer must not import.
const FEATURES = ["auth", "tenants", "users", "sender", "domain-check", "reminders", "learners", "api-keys", "api", "deliveries", "delivery", "alerts", "review", "monitoring", "cli", "worker", "demo"];
const importsOf = (folders) => folders.flatMap((f) => [`@/lib/${f}`, `@/lib/${f}/*`, `../${f}`, `../${f}/*`, `../../${f}/*`]);
const featureImports = importsOf(FEATURES);

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Refuse `update`/`delete` without `where` on the Drizzle handle (db.orm / tx.orm).
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["orm"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["orm"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ is framework-free: no Next.js or React imports there.
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["next", "next/*", "next-auth", "next-auth/*", "next-intl", "next-intl/*", "react", "react-dom"], message: "lib/ is framework-free." }] },
      ],
    },
  },
  {
    // Nothing under app/ or components/ touches the database client directly.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["drizzle-orm", "drizzle-orm/*", "better-sqlite3", "pg", "@/lib/db/schema/*"], message: "Call lib/ query functions instead." }] },
      ],
    },
  },
  {
    // Import direction (README: app/ and components/ → features → shared layer). The
    // typescript-eslint twin of no-restricted-imports keeps these apart from the errors
    // above; errors, so a new violation fails CI.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*", "!@/app/_i18n", "!@/app/_i18n/*", "../app/*", "../../app/*"], message: "components/ get actions and data as props; only @/app/_i18n is shared." }] },
      ],
    },
  },
  {
    files: ["lib/db/**/*.ts", "lib/config/**/*.ts", "lib/crypto/**/*.ts", "lib/i18n/**/*.ts", "lib/errors.ts", "lib/audit/**/*.ts", "lib/mail/**/*.ts"],
    // Tests may seed through the features.
    ignores: ["**/*.test.ts", "**/*.bench.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: featureImports, message: "The shared layer (db, config, crypto, i18n, errors, audit, mail) must not import a feature: move the shared part down." }] },
      ],
    },
  },
  {
    // One step up: sessions and policy, limits and validation serve the features and import none.
    files: ["lib/auth/**/*.ts", "lib/limits/**/*.ts", "lib/validation/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.bench.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: importsOf(FEATURES.filter((f) => f !== "auth")), message: "auth, limits and validation sit below the features: move the shared part down." }] },
      ],
    },
  },
  { ignores: [".next/**", "lib/bench/bare-next/.next/**", ".next-*/**", "node_modules/**", "data/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
