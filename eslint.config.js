// Lint for every TypeScript source and test: typescript-eslint's type-checked recommended rules.
// Each package's own tsconfig.json types its sources (projectService finds it); the root tests/ are
// typed by tsconfig.tests.json, the same program `npm run typecheck` checks.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // Stripping control characters from untrusted text (model output, terminal input) is the point of these patterns.
      "no-control-regex": "off",
      // A leading underscore marks a value taken out on purpose, e.g. to drop a field with a rest spread.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.test.ts", "**/*.test-helper.ts", "tests/**/*.ts"],
    rules: {
      // Tests parse JSON a process printed and compare with vitest's matchers, which are typed `any`.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // Test doubles implement async interfaces with answers they already have.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["tests/**/*.ts", "vitest.config.ts"],
    languageOptions: {
      parserOptions: { projectService: false, project: ["./tsconfig.tests.json"], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", AbortController: "readonly" } },
  },
);
