import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

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
  { ignores: [".next/**", "lib/bench/bare-next/.next/**", ".next-*/**", "node_modules/**", "data/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
